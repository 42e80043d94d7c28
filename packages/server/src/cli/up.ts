import type { Config } from '../config.ts';
import { type BootstrapResult, bootstrapIfEmpty } from '../keys/bootstrap.ts';
import { startServer } from '../server.ts';
import type { Store } from '../store/store.ts';
import { storeCommandDeps } from './store-command-deps.ts';

function banner(url: string, boot: BootstrapResult, consoleOn: boolean): string {
  const kits = boot.kits.map((k) => `${k.code}`).join(', ') || '(none)';
  return [
    '',
    `  Semarize: first start. Created workspace "${boot.workspaceName}" and its keys.`,
    '  The keys are shown ONCE. Store them now; only their hashes are kept.',
    '',
    `    Admin live key:  ${boot.liveKey}`,
    `    Test key:        ${boot.testKey}   (sandbox runs: placeholder output, no model)`,
    '',
    `  Starter Kits: ${kits}`,
    `  API: ${url}    Reference: ${url}/docs`,
    ...(consoleOn ? [`  Console: ${url}/console   (sign in by pasting the admin live key)`] : []),
    '',
    '  Try it:',
    `    curl -s ${url}/v1/runs -H "Authorization: Bearer ${boot.liveKey}" \\`,
    `      -H "Content-Type: application/json" -H "Prefer: wait=10" \\`,
    `      -d '{"kit_code":"A1B2C3D4","input":{"transcript":"Rep: What drove the urgency?\\nProspect: We lose 3 hours a week."}}'`,
    '',
  ].join('\n');
}

/** Waits for SIGTERM/SIGINT, then closes gracefully; a second signal exits at once. */
export function closeOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`\n${signal}: shutting down gracefully (again to force)\n`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** `semarize up|serve|work`: run the service in this process. */
export async function runService(config: Readonly<Config>, role: 'up' | 'serve' | 'work'): Promise<void> {
  const server = await startServer({
    config,
    roles: { http: role !== 'work', executor: role !== 'serve' },
    // Only once listening: if the port is taken, no keys are created that nobody saw. The banner
    // is printed before /readyz turns 200, so the key it shows works once the server is ready.
    ...(role === 'up' ? { bootstrap: ({ store, url }) => bootstrapAndPrint(config, store, url) } : {}),
  });
  closeOnSignals(server.close);
}

async function bootstrapAndPrint(config: Readonly<Config>, store: Store, url: string | null): Promise<void> {
  const boot = await bootstrapIfEmpty(storeCommandDeps(store, config), config.kitsDir);
  if (boot && url) process.stderr.write(banner(url.replace('127.0.0.1', 'localhost'), boot, config.console));
}
