/**
 * Compares create and read throughput of checkouts in the same minutes of the same machine, which
 * drifts by the hour (P1 and P2 of `npm run bench` cannot compare with an older checkout's figures):
 *
 *     npx node bench/create-compare.ts --tree /old/checkout [--tree /other] [--rounds 3] [--seconds 6]
 *
 * This checkout is always measured too. Each round runs every checkout under async creates on
 * `semarize up` and on `semarize serve`, and under reads of a finished run on `up`, in alternation
 * (each round starting with the next checkout), each in fresh processes (create-compare-probe.ts),
 * and prints the medians: requests per second, runs `up` finished meanwhile, and CPU per request.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { CreateProbeFigures } from './create-compare-probe.ts';

const run = promisify(execFile);
const PROBE = join(import.meta.dirname, 'create-compare-probe.ts');
const THIS_CHECKOUT = resolve(import.meta.dirname, '..');
const MEASURES = [
  { load: 'create', role: 'up' },
  { load: 'create', role: 'serve' },
  { load: 'read', role: 'up' },
] as const;

const { values } = parseArgs({
  options: {
    tree: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
  },
});
const trees = [...values.tree!.map((tree) => resolve(tree)), THIS_CHECKOUT];
const measured = new Map<string, CreateProbeFigures[]>();
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const { load, role } of MEASURES) {
    // Each round starts with the next checkout: the machine drifts within minutes, and the first
    // of a round would otherwise always meet the same moment of it.
    const order = trees.map((_, i) => trees[(i + round) % trees.length]!);
    for (const tree of order) {
      const { stdout } = await run(
        process.execPath,
        [PROBE, '--tree', tree, '--role', role, '--load', load, '--seconds', values.seconds!],
        { maxBuffer: 1 << 20 },
      );
      const figures = JSON.parse(stdout) as CreateProbeFigures;
      console.error(`round ${round} ${load} on ${role} ${tree}: ${stdout.trim()}`);
      const key = `${tree}\t${load}\t${role}`;
      measured.set(key, [...(measured.get(key) ?? []), figures]);
    }
  }
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
console.log('| Checkout | Load | Process | Requests/s | Executed meanwhile, runs/s | CPU µs per request |');
console.log('|---|---|---|---:|---:|---:|');
for (const { load, role } of MEASURES) {
  for (const tree of trees) {
    const list = measured.get(`${tree}\t${load}\t${role}`)!;
    const executes = load === 'create' && role === 'up';
    const executed = executes ? String(Math.round(median(list.map((f) => f.executedPerSecond)))) : '–';
    console.log(
      `| ${tree} | ${load} | \`${role}\` | ${Math.round(median(list.map((f) => f.requestsPerSecond)))} | ${executed} | ${Math.round(median(list.map((f) => f.cpuMicrosPerRequest)))} |`,
    );
  }
}
