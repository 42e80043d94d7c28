/**
 * One measurement for create-compare.ts: a seeded server of the checkout given by `--tree` (its own
 * bench/bench-server.ts, so any checkout since issue 12 can be measured), in role `up` or `serve`,
 * under an async create load from autocannon here. Prints one JSON line: creates per second, runs
 * the server finished meanwhile, and the server process's CPU per accepted create (all threads,
 * from /proc, so executing is included on `up`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CREATE_BODY, queuedRuns } from './http-throughput.ts';

export interface CreateProbeFigures {
  createsPerSecond: number;
  executedPerSecond: number;
  cpuMicrosPerCreate: number;
}

const { values } = parseArgs({
  options: {
    tree: { type: 'string' },
    role: { type: 'string', default: 'up' },
    seconds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '20' },
  },
});
const tree = values.tree!;
const seconds = Number(values.seconds);
// The checkout's own load generator and server, so both sides of a comparison use their own code.
const autocannon = createRequire(join(tree, 'package.json'))('autocannon');
const { startBenchServer } = await import(join(tree, 'bench/bench-server.ts'));

const bench = await startBenchServer('sqlite', {
  SEMARIZE_MAX_QUEUED_RUNS: '100000000',
  SEMARIZE_TEST_ROLE: values.role!,
});
try {
  const headers = { authorization: `Bearer ${bench.liveKey}`, 'content-type': 'application/json' };
  const body = JSON.stringify(CREATE_BODY);
  const load = (duration: number) =>
    autocannon({
      url: `${bench.server.url}/v1/runs`,
      method: 'POST',
      headers,
      body,
      connections: Number(values.connections),
      duration,
    });
  const queued = () => queuedRuns(bench.server.url, headers);
  // Clock ticks of the server process, user + system, all threads (fields 14 and 15 of stat).
  const cpuMicros = () => {
    const fields = readFileSync(`/proc/${bench.server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  };
  await load(2); // JIT, page cache
  const queuedBefore = await queued();
  const cpuBefore = cpuMicros();
  const result = await load(seconds);
  const cpuAfter = cpuMicros();
  const accepted = result['2xx'];
  const figures: CreateProbeFigures = {
    createsPerSecond: accepted / seconds,
    executedPerSecond: (accepted - ((await queued()) - queuedBefore)) / seconds,
    cpuMicrosPerCreate: (cpuAfter - cpuBefore) / accepted,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await bench.close();
}
