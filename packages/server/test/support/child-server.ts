import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const FIXTURE = join(import.meta.dirname, 'server-process.ts');

/** What a fixture process runs (SEMARIZE_TEST_ROLE): both parts, HTTP only, or executor only. */
export type ServiceRole = 'up' | 'serve' | 'work';

/** A fixture process in any role. */
export interface ChildService {
  /** null for a `work` process, which does not listen. */
  url: string | null;
  /** The executor's worker id (runs.worker_id of the runs it claims); null for `serve`. */
  workerId: string | null;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
}

/** A fixture process that listens (`up` or `serve`). */
export interface ChildServer extends ChildService {
  url: string;
}

/**
 * Starts the server fixture in a child process on an ephemeral port and waits until it listens.
 * The role is `up` unless `env` sets SEMARIZE_TEST_ROLE=serve.
 */
export async function spawnServer(env: Record<string, string>): Promise<ChildServer> {
  const service = await spawnService((env['SEMARIZE_TEST_ROLE'] as ServiceRole | undefined) || 'up', env);
  const { url } = service;
  if (url === null) {
    service.child.kill('SIGKILL');
    throw new Error('spawnServer needs a role that listens; use spawnService for a work process');
  }
  return { ...service, url };
}

/** Starts the server fixture in `role` in a child process and waits until it has started. */
export async function spawnService(role: ServiceRole, env: Record<string, string>): Promise<ChildService> {
  // The V8 flag every entry point of the service starts with (bin/semarize.js, npm start, Dockerfile).
  // FIXTURE_NODE_FLAGS adds flags by hand, e.g. --cpu-prof to profile a benchmark's server.
  const flags = process.env['FIXTURE_NODE_FLAGS']?.split(' ').filter(Boolean) ?? [];
  // SEMARIZE_TEST_FIXTURE: the compiled fixture, for the benchmarks (compiled-fixture.ts).
  const fixture = process.env['SEMARIZE_TEST_FIXTURE'] || FIXTURE;
  const child = spawn(process.execPath, ['--max-semi-space-size=8', ...flags, fixture], {
    // The embedded store, whatever DATABASE_URL the test runner has (CI sets one for PostgreSQL tests).
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: '0',
      SEMARIZE_LOG_LEVEL: 'warn',
      ...env,
      SEMARIZE_TEST_ROLE: role,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<{ url: string | null; workerId: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30_000);
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { ready?: boolean; url?: string | null; workerId?: string | null };
        if (parsed.ready === true) {
          clearTimeout(timer);
          resolve({ url: parsed.url ?? null, workerId: parsed.workerId ?? null });
        }
      } catch {
        // log lines are JSON too; only the announcement says it is ready
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (${code ?? signal}):\n${stderr}`));
    });
  });
  return { ...started, child, exited, stderr: () => stderr };
}
