/**
 * One measurement for create-compare.ts: a seeded server of the checkout given by `--tree` (its own
 * bench/bench-server.ts, so any checkout since issue 12 can be measured), in role `up` or `serve`,
 * under a load from autocannon here: async creates (`--load create`), or reads of one succeeded run
 * (`--load read`, on `up`, whose executor finishes it and is idle after). Prints one JSON line:
 * requests answered per second, runs the server finished meanwhile, and the server process's CPU
 * per answered request (all threads, from /proc, so executing is included on `up`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CREATE_BODY, queuedRuns } from './http-throughput.ts';

export interface CreateProbeFigures {
  requestsPerSecond: number;
  executedPerSecond: number;
  cpuMicrosPerRequest: number;
}

const { values } = parseArgs({
  options: {
    tree: { type: 'string' },
    role: { type: 'string', default: 'up' },
    load: { type: 'string', default: 'create' },
    seconds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '20' },
  },
});
const tree = values.tree!;
const seconds = Number(values.seconds);
// The checkout's own load generator and server, so both sides of a comparison use their own code.
const autocannon = createRequire(join(tree, 'package.json'))('autocannon');
const { startBenchServer } = await import(join(tree, 'bench/bench-server.ts'));

/** GETs of one run the server has finished (a sync create waits for it). */
async function readLoad(url: string, headers: Record<string, string>, connections: number) {
  const response = await fetch(`${url}/v1/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...CREATE_BODY, mode: 'sync' }),
  });
  const run = (await response.json()) as { run_id: string; status: string };
  if (run.status !== 'succeeded') throw new Error(`the run to read did not succeed: ${run.status}`);
  return (duration: number) =>
    autocannon({ url: `${url}/v1/runs/${run.run_id}`, headers, connections, duration });
}

const bench = await startBenchServer('sqlite', {
  SEMARIZE_MAX_QUEUED_RUNS: '100000000',
  SEMARIZE_TEST_ROLE: values.role!,
});
try {
  const headers = { authorization: `Bearer ${bench.liveKey}`, 'content-type': 'application/json' };
  const connections = Number(values.connections);
  const load =
    values.load === 'read'
      ? await readLoad(bench.server.url, headers, connections)
      : (duration: number) =>
          autocannon({
            url: `${bench.server.url}/v1/runs`,
            method: 'POST',
            headers,
            body: JSON.stringify(CREATE_BODY),
            connections,
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
  const answered = result['2xx'];
  // A read load queues nothing: what the queue did not keep is what was executed, for creates only.
  const created = values.load === 'read' ? 0 : answered;
  const figures: CreateProbeFigures = {
    requestsPerSecond: answered / seconds,
    executedPerSecond: (created - ((await queued()) - queuedBefore)) / seconds,
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / answered,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await bench.close();
}
