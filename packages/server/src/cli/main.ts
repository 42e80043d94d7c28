import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, settingsHelp } from '../config.ts';
import { invocationDir } from '../invocation-dir.ts';
import { KitFileError } from '../kits/kit-file.ts';
import { type ClientCommandContext, processStreams } from './client-context.ts';
import { keysCommand } from './keys.ts';
import { kitsCommand } from './kits.ts';
import { runCommand } from './run-command.ts';
import { runsCommand } from './runs-command.ts';
import { refuseStrandedStore } from './stranded-store.ts';
import { runService } from './up.ts';

const USAGE = `Usage: semarize <command> [options]

Commands:
  up                      HTTP API and executor in one process, bootstrapping an empty store (the default)
  serve                   HTTP API only
  work                    Executor only
  keys create [--workspace NAME] [--role admin|runner] [--test] [--expires-in 30d] [--name TEXT]
                          Create an API key; prints the key alone on stdout
  keys list [--workspace NAME]
  keys revoke KEY_ID
  kits apply FILE... [--publish] [--workspace NAME]
                          Create or version Bricks and Kits from YAML/JSON files
  migrate                 Apply database migrations and exit
  run --kit CODE --input FILE|- [--sync] [--wait] [--json] [--timeout 10m] [--idempotency-key KEY]
                          Run a Kit on a conversation (a JSON input object, or a transcript) through
                          the API; --sync lets the server wait, --wait waits until the run finished
  runs get RUN_ID [--wait] | runs list [--status S] [--kit CODE] [--limit N | --all] | runs cancel RUN_ID
                          Read, list and cancel runs through the API
                          run and runs use SEMARIZE_API_KEY and SEMARIZE_BASE_URL
                          (or --base-url; default http://127.0.0.1:8787). On a terminal a finished
                          run is a report of its Bricks and a list a table; piped, or with --json,
                          a run is one line of JSON and a list one run per line (JSON Lines)
  --version               Print the version

`;

/**
 * The entry point reads the process's environment once and passes it down: to the server's
 * settings (config.ts) and to the API client commands, whose settings (SEMARIZE_API_KEY,
 * SEMARIZE_BASE_URL) are the client's, not the server's.
 */
const env = process.env;

/** Where the user typed the command (npm runs scripts elsewhere): relative paths resolve from it. */
const cwd = invocationDir(env, process.cwd());

const clientContext = (): ClientCommandContext => ({ env, cwd, ...processStreams() });

async function main(argv: string[]): Promise<number> {
  const { config, rest } = loadConfig(argv, env, cwd);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}${settingsHelp()}\n`);
    return 0;
  }
  if (rest.includes('--version')) {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [command = 'up', ...args] = rest;
  // The commands that open the store (run and runs talk to a server over HTTP).
  if (!config.databaseUrl && command !== 'run' && command !== 'runs') refuseStrandedStore(config.dataDir);
  switch (command) {
    case 'up':
    case 'serve':
    case 'work':
      await runService(config, command);
      return -1; // keeps running until a signal
    case 'keys':
      return keysCommand(config, args);
    case 'kits':
      return kitsCommand(config, args, cwd);
    case 'run':
      return runCommand(args, clientContext());
    case 'runs':
      return runsCommand(args, clientContext());
    case 'migrate': {
      const { openStore } = await import('../server.ts');
      await openStore(config).close();
      process.stderr.write('Migrations applied.\n');
      return 0;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof KitFileError || error instanceof Error;
    process.stderr.write(`semarize: ${known ? (error as Error).message : String(error)}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
