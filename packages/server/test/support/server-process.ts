/**
 * A real server in a child process, for crash and signal tests: `node server-process.ts`
 * with SEMARIZE_* settings in the environment. Prints `{"url": …}` on stdout once listening.
 * It registers the test engines, which is why it is a test fixture and not `semarize up`.
 */

import { closeOnSignals } from '../../src/cli/up.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { testEngines } from './test-engines.ts';

const { config } = loadConfig(process.argv.slice(2));
const server = await startServer({
  config,
  roles: { http: true, executor: true },
  extraEngines: testEngines,
});
closeOnSignals(server.close);
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
