import { configDefaults, defineConfig } from 'vitest/config';

/**
 * With DATABASE_URL set (e.g. postgres://postgres@127.0.0.1:5432/test), PostgreSQL tests run too:
 * the store conformance suite and the scale-out tests against PostgreSQL, and the whole black-box
 * HTTP suite a second time with the server on PostgreSQL (project `http-on-postgres`).
 */
const postgres = Boolean(process.env['DATABASE_URL']);
if (!postgres) {
  process.stderr.write(
    '\n  DATABASE_URL is not set: PostgreSQL tests are SKIPPED (store conformance on PostgreSQL,' +
      ' scale-out, and the HTTP suite on PostgreSQL).\n' +
      '  Run them with DATABASE_URL=postgres://user@host:5432/db npm test\n\n',
  );
}

export default defineConfig({
  test: {
    // Black-box tests start real servers and child processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'main', include: ['packages/*/test/**/*.test.ts'] } },
      ...(postgres
        ? [
            {
              extends: true,
              test: {
                name: 'http-on-postgres',
                include: ['packages/server/test/http/**/*.test.ts'],
                // It opens the SQLite file itself; test/postgres/server-errors.test.ts is its twin.
                exclude: [...configDefaults.exclude, 'packages/server/test/http/server-errors.test.ts'],
                env: { SEMARIZE_TEST_STORE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
