/**
 * The image's rules, read from the Dockerfile and .dockerignore: the test machine (and CI) has no
 * Docker daemon to build the image with, so this checks what a build would do, not a build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const ignorePatterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/**
 * Whether .dockerignore leaves `path` out of the build context, for the pattern forms it uses
 * (`name`, `dir/name`, `**` and `*`, no `!` exceptions): a pattern matches the path or one of the
 * directories above it, as Docker's matcher does.
 */
function ignored(path: string): boolean {
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return ignorePatterns.some((pattern) => {
    const regex = new RegExp(
      `^${pattern
        .split('**/')
        .map((piece) => piece.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('(?:.*/)?')}$`,
    );
    return prefixes.some((prefix) => regex.test(prefix));
  });
}

const index = (predicate: (line: string) => boolean) => instructions.findIndex(predicate);

describe('the Docker image', () => {
  it('never copies a local store or installed modules into the image', () => {
    for (const path of [
      '.semarize/semarize.db',
      'packages/server/.semarize/semarize.db',
      'node_modules/fastify/package.json',
      'packages/server/node_modules/x/index.js',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of ['packages/server/src/cli/main.ts', 'kits/call-basics.yaml', 'package-lock.json']) {
      expect(ignored(path), path).toBe(false);
    }
  });

  it('gives the node user a /data it owns, declared a volume, before the server starts as that user', () => {
    const creates = index((line) => /^RUN .*\binstall -d -o node -g node\b.* \/data$/.test(line));
    const volume = index((line) => /^VOLUME (\/data|\["\/data"\])$/.test(line));
    const user = index((line) => line === 'USER node');
    expect(creates, 'RUN install -d -o node -g node … /data').toBeGreaterThanOrEqual(0);
    // Changes to a volume's path after VOLUME are discarded, so the directory must exist first.
    expect(volume).toBeGreaterThan(creates);
    expect(user).toBeGreaterThan(creates);
    expect(instructions).toContainEqual(expect.stringMatching(/^ENV .*\bSEMARIZE_DATA_DIR=\/data\b/));
    expect(instructions.at(-1)).toBe('CMD ["up"]');
  });

  it('installs without lifecycle scripts: the SDK build (`prepare`) has no sources or TypeScript there', () => {
    expect(instructions).toContainEqual(
      expect.stringMatching(/^RUN npm ci .*--omit=dev\b.*--ignore-scripts\b/),
    );
  });

  it('compiles the server and the SDK in a stage of its own, copies both builds after the sources, and runs the server build', () => {
    const stage = index((line) => /^FROM node:24-slim AS build$/.test(line));
    const install = index((line) => /^RUN npm ci\b(?!.*--omit=dev)/.test(line));
    const build = index(
      (line) => line === 'RUN npm run build -w @semarize/client && npm run build -w @semarize/server',
    );
    // The install comes before the sources, so a source edit does not invalidate it.
    const serverSources = index((line) => line === 'COPY packages/server packages/server');
    expect(install).toBeGreaterThan(0);
    expect(serverSources).toBeGreaterThan(install);
    expect(build).toBeGreaterThan(serverSources);
    const final = index((line) => line === 'FROM node:24-slim');
    const sources = index((line) => line === 'COPY packages ./packages');
    const sdk = index((line) => line === 'COPY --from=build /app/packages/client/dist packages/client/dist');
    const server = index(
      (line) => line === 'COPY --from=build /app/packages/server/dist packages/server/dist',
    );
    expect(stage).toBe(0);
    expect(build).toBeGreaterThan(stage);
    expect(final).toBeGreaterThan(build);
    // After the sources: .dockerignore leaves every dist out of the context, so the copies are the only ones.
    expect(sdk).toBeGreaterThan(sources);
    expect(server).toBeGreaterThan(sources);
    expect(ignored('packages/client/dist/index.js')).toBe(true);
    expect(ignored('packages/server/dist/cli/main.js')).toBe(true);
    expect(ignored('.build/bench/src/server.js')).toBe(true);
    expect(instructions).toContainEqual(
      'ENTRYPOINT ["node", "--max-semi-space-size=8", "packages/server/dist/cli/main.js"]',
    );
  });
});
