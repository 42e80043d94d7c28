/**
 * A real server in a child process, for crash and signal tests: `node server-process.ts`
 * with SEMARIZE_* settings in the environment. Prints `{"ready": true, "url": …}` on stdout once
 * started.
 * It registers the test engines, which is why it is a test fixture and not `semarize up`.
 *
 * SEMARIZE_TEST_ROLE picks what runs in the process, as the commands do: `up` (the default: HTTP,
 * executor and webhook dispatcher), `serve` (HTTP only) or `work` (executor and webhook dispatcher,
 * no HTTP: its announcement has `"url": null`).
 */

import { closeOnSignals } from '../../src/cli/up.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { testEngines } from './test-engines.ts';

const role = process.env['SEMARIZE_TEST_ROLE'] || 'up';
if (role !== 'up' && role !== 'serve' && role !== 'work') {
  throw new Error(`SEMARIZE_TEST_ROLE must be up, serve or work (got ${role})`);
}

const { config } = loadConfig(process.argv.slice(2));
const server = await startServer({
  config,
  roles: { http: role !== 'work', executor: role !== 'serve' },
  extraEngines: testEngines,
});
closeOnSignals(server.close);
process.stdout.write(
  `${JSON.stringify({
    ready: true,
    url: server.url,
    pid: process.pid,
    role,
    workerId: server.executor?.workerId ?? null,
  })}\n`,
);
