/**
 * Benchmark: the CPU one run of a 60-minute call costs in signals (issue 13): preparing the input
 * at creation (normalising it into the conversation, checking the limits, the stored JSON) and
 * evaluating the starter Kit A1B2C3D4 with the deterministic engines, in-process, no HTTP. Every
 * measurement is a separate process (signals-cost-probe.ts), so each checkout gets a fresh JIT.
 *
 * `npm run bench` measures this checkout against a baseline from the same process. To compare
 * with an older checkout (its `npm install` done), in the same minutes of the same machine:
 *
 *     npx node bench/signals-cost.ts --before /path/to/old/checkout [--rounds 3] [--min-cpu-ms 1500]
 *
 * which alternates the two checkouts round by round and prints medians and after ÷ before.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { ProbeFigures, ShapeFigures } from './signals-cost-probe.ts';

const run = promisify(execFile);
const PROBE = join(import.meta.dirname, 'signals-cost-probe.ts');
const THIS_CHECKOUT = join(import.meta.dirname, '..');
export const SHAPES = { transcript: '`Speaker: text` transcript', timed: 'timed turn array' } as const;
type Shape = keyof typeof SHAPES;

/** Medians over the rounds, CPU ms per run. */
export interface CostFigures {
  normaliseMs: number;
  evaluateMs: number;
  bothMs: number;
  baselineMs: number;
  turns: number;
  words: number;
}

async function probe(tree: string, minCpuMs: number): Promise<ProbeFigures> {
  const { stdout } = await run(process.execPath, [PROBE, '--tree', tree, '--min-cpu-ms', String(minCpuMs)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as ProbeFigures;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function summarise(probes: ProbeFigures[], shape: Shape): CostFigures {
  const of = (pick: (s: ShapeFigures) => number) => median(probes.map((p) => pick(p.shapes[shape])));
  return {
    normaliseMs: of((s) => s.normaliseMs),
    evaluateMs: of((s) => s.evaluateMs),
    bothMs: of((s) => s.normaliseMs + s.evaluateMs),
    baselineMs: of((s) => s.baselineMs),
    turns: probes[0]!.shapes[shape].turns,
    words: probes[0]!.shapes[shape].words,
  };
}

/**
 * Measures each checkout `rounds` times, alternating which goes first, so that both see the
 * machine as it drifts; medians per checkout and input shape.
 */
export async function measureSignalsCost(options: {
  trees: readonly string[];
  rounds: number;
  minCpuMs: number;
}): Promise<Record<Shape, CostFigures>[]> {
  const probes: ProbeFigures[][] = options.trees.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const order = options.trees.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) probes[i]!.push(await probe(options.trees[i]!, options.minCpuMs));
  }
  return probes.map((list) => ({
    transcript: summarise(list, 'transcript'),
    timed: summarise(list, 'timed'),
  }));
}

/** `npm run bench`: this checkout only, against the read-and-count baseline of the same process. */
export async function measureThisCheckout(options: {
  rounds: number;
  minCpuMs: number;
}): Promise<Record<Shape, CostFigures>> {
  const [figures] = await measureSignalsCost({ trees: [THIS_CHECKOUT], ...options });
  return figures!;
}

const ms = (n: number) => n.toFixed(2);
const times = (n: number) => `${n.toFixed(2)}×`;

/** The before/after comparison, as last measured by hand with `--before` (see the file comment). */
const COMPARED = {
  date: '2026-12-03',
  before: '9ad403a (issue 12, before the conversation model)',
  rounds: 3,
  // Re-measured after every metric got its per-side and per-speaker breakdown.
  transcript: { normalise: 1.41, evaluate: 0.94, both: 0.98 },
  timed: { normalise: 1.05, evaluate: 0.92, both: 0.94 },
};

/** The "Signals cost" section of docs/benchmarks.md. */
export function signalsCostMarkdown(figures: Record<Shape, CostFigures>, rounds: number): string {
  const rows = (Object.keys(SHAPES) as Shape[]).map((shape) => {
    const f = figures[shape];
    return `| ${SHAPES[shape]} | ${f.turns} | ${ms(f.normaliseMs)} ms | ${ms(f.evaluateMs)} ms | **${ms(f.bothMs)} ms** | ${ms(f.baselineMs)} ms | ${times(f.bothMs / f.baselineMs)} |`;
  });
  const compared = (Object.keys(SHAPES) as Shape[]).map((shape) => {
    const c = COMPARED[shape];
    return `| ${SHAPES[shape]} | ${times(c.normalise)} | ${times(c.evaluate)} | **${times(c.both)}** |`;
  });
  return `## Signals cost (60-minute call)

CPU per run, every thread of the process (\`process.cpuUsage\`), of the signals work on one 60-minute
discovery call: three speakers (a rep, two on the customer side, sides given as \`participants\`),
${figures.transcript.words} words in ${figures.transcript.turns} turns, sent once as a \`Speaker: text\` transcript without timings and once as
an array of timed turns. **Normalise** is the preparation at creation (\`prepareInput\`: parse, fingerprint,
normalise into the conversation, check the limits, write the stored JSON). **Evaluate** is what the
executor and the engine threads then do for Kit \`A1B2C3D4\` (\`kits/call-basics.yaml\`: three metrics, three
trackers): parse the stored input, run every Brick (each engine's share copied as it would be to a
thread, so compiled phrases are not reused from the last run; tracker patterns on their scan
thread), serialise the output. In-process, no HTTP or store (\`bench/signals-cost.ts\`); each figure
is the median of ${rounds} processes, each after a warm-up. **Baseline**, measured in the same processes:
\`JSON.parse\` of the same input and a \`/\\S+/g\` word count over its text, the floor any preparation
pays, so that the last column can be compared between runs on this drifting machine.

| Input | Turns | Normalise | Evaluate | Both | Baseline: read + count words | Both ÷ baseline |
|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Goal (issue 13): at most 1.5× the CPU of the code before the conversation model. That comparison
needs the old checkout, so it is not part of \`npm run bench\`:
\`npx node bench/signals-cost.ts --before <checkout>\` runs both in the same minutes, alternating, and
prints after ÷ before. Measured with it on ${COMPARED.date} against ${COMPARED.before},
medians of ${COMPARED.rounds} rounds each; the baseline came out within 4 % for both checkouts, so both
saw the same machine:

| Input | Normalise, after ÷ before | Evaluate | Both |
|---|---:|---:|---:|
${compared.join('\n')}

Profiles of the probe (\`--cpu-prof\`, the same day): normalising costs more, most of it in NFKC and whitespace
cleaning of every turn and in splitting lines only at known speakers; evaluating costs less, because a
tracker now inflects the Kit's phrase words once instead of stemming every word of the call, and
\`competitors_mentioned\` reads only the customer side's turns. The largest single cost of an evaluation
is now parsing the stored input, which the executor and each of the two engine threads do once per run.
`;
}

async function compareWithBefore(before: string, rounds: number, minCpuMs: number): Promise<void> {
  const [old, now] = await measureSignalsCost({ trees: [resolve(before), THIS_CHECKOUT], rounds, minCpuMs });
  console.log(`Signals cost of a 60-minute call, CPU ms per run, medians of ${rounds} rounds each`);
  console.log(`before: ${resolve(before)}\nafter:  ${THIS_CHECKOUT}\n`);
  console.log('| Input | Step | Before | After | After ÷ before |');
  console.log('|---|---|---:|---:|---:|');
  for (const shape of Object.keys(SHAPES) as Shape[]) {
    for (const [step, key] of [
      ['normalise', 'normaliseMs'],
      ['evaluate', 'evaluateMs'],
      ['both', 'bothMs'],
      ['baseline (read + count words)', 'baselineMs'],
    ] as const) {
      const b = old![shape][key];
      const a = now![shape][key];
      console.log(`| ${SHAPES[shape]} | ${step} | ${ms(b)} | ${ms(a)} | ${times(a / b)} |`);
    }
  }
  const worst = Math.max(
    ...(Object.keys(SHAPES) as Shape[]).map((shape) => now![shape].bothMs / old![shape].bothMs),
  );
  console.log(`\nBoth steps, worst input shape: ${times(worst)} (goal ≤ 1.5×)`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      before: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'min-cpu-ms': { type: 'string', default: '1500' },
    },
  });
  if (!values.before) {
    console.error('usage: node bench/signals-cost.ts --before /path/to/old/checkout [--rounds 3]');
    process.exit(2);
  }
  await compareWithBefore(values.before, Number(values.rounds), Number(values['min-cpu-ms']));
}
