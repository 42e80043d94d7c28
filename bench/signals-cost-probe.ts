import { existsSync } from 'node:fs';
/**
 * One measurement of the signals-cost benchmark (signals-cost.ts), in a process of its own:
 * `node bench/signals-cost-probe.ts --tree <checkout> [--min-cpu-ms 1500]` loads the server modules
 * of that checkout (this one, or an older one to compare with), measures the CPU per run of
 * preparing a 60-minute call and of evaluating Kit A1B2C3D4 on it, and prints the figures as JSON.
 * The probe itself uses only what every checkout since issue 12 has in the same shape.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EngineInput, EngineOutput, EngineRegistry } from '../packages/server/src/evaluation/engine.ts';
import { salesCall, salesCallInputs } from './sales-call.ts';

export interface ShapeFigures {
  /** Turns and characters of the normalised conversation. */
  turns: number;
  /** Words of the call, as written (whitespace-separated). */
  words: number;
  characters: number;
  inputChars: number;
  /** CPU ms per run, every thread of the process. */
  normaliseMs: number;
  evaluateMs: number;
  baselineMs: number;
  /** The Brick values, to see that both checkouts judged the call. */
  values: Record<string, unknown>;
}

export interface ProbeFigures {
  tree: string;
  shapes: Record<'transcript' | 'timed', ShapeFigures>;
}

const { values: args } = parseArgs({
  options: { tree: { type: 'string' }, 'min-cpu-ms': { type: 'string', default: '1500' } },
});
const tree = args.tree ?? join(import.meta.dirname, '..');
const minCpuMs = Number(args['min-cpu-ms']);
const src = (path: string) => pathToFileURL(join(tree, 'packages/server/src', path)).href;

type Modules = [
  typeof import('../packages/server/src/evaluation/prepare-input.ts'),
  typeof import('../packages/server/src/evaluation/evaluate-kit.ts'),
  typeof import('../packages/server/src/evaluation/engine.ts'),
  typeof import('../packages/server/src/engines/metric/metric-engine.ts'),
  typeof import('../packages/server/src/engines/tracker/tracker-engine.ts'),
  typeof import('../packages/server/src/engines/tracker/guarded-patterns.ts'),
  typeof import('../packages/server/src/kits/kit-file.ts'),
  typeof import('../packages/server/src/kits/brick.ts'),
];
const [
  { prepareInput, parsePreparedInput },
  { evaluateKit },
  { perBrick },
  { metricEngine },
  { createTrackerEngine },
  { PatternQuarantine },
  { readKitFile },
  { BrickDefinition },
] = (await Promise.all(
  [
    'evaluation/prepare-input.ts',
    'evaluation/evaluate-kit.ts',
    'evaluation/engine.ts',
    // Each engine at its path in either tree: engines/<name>/ since the plugins, evaluation/engines/ before.
    ['engines/metric/metric-engine.ts', 'evaluation/engines/metric.ts'],
    ['engines/tracker/tracker-engine.ts', 'evaluation/engines/tracker.ts'],
    ['engines/tracker/guarded-patterns.ts', 'evaluation/engines/guarded-patterns.ts'],
    'kits/kit-file.ts',
    'kits/brick.ts',
  ].map(
    (path) =>
      import(
        src(
          typeof path === 'string'
            ? path
            : (path.find((p) => existsSync(join(tree, 'packages/server/src', p))) ?? path[0]!),
        )
      ),
  ),
)) as Modules;

const kitFile = await readKitFile(join(tree, 'kits/call-basics.yaml'));
const bricks = kitFile.bricks.map((brick) => BrickDefinition.parse({ ...brick, version: 1 }));
const limits = { maxTurns: 20_000, maxCharacters: 1_000_000 };
const signal = new AbortController().signal;
const PATTERN_BUDGET_MS = 2_000;

/**
 * What an engine thread does with one engine's share of a run (engine-thread.ts): it receives a
 * copy of the request (so a Brick's compiled phrases are never reused from the last run), parses
 * the prepared input, runs the engine, and its answer is copied back.
 */
function asOnAThread(run: (input: EngineInput) => Promise<EngineOutput>) {
  return async (input: EngineInput): Promise<EngineOutput> => {
    const request = structuredClone({ bricks: input.bricks, preparedJson: input.preparedJson! });
    const { conversation, context } = parsePreparedInput(request.preparedJson);
    const output = await run({ ...input, bricks: request.bricks, conversation, context });
    return structuredClone(output);
  };
}
const metric = perBrick(metricEngine);
const engines: EngineRegistry = {
  metric: asOnAThread(metric),
  tracker: asOnAThread((input) =>
    createTrackerEngine({ quarantine: new PatternQuarantine(), patternBudgetMs: PATTERN_BUDGET_MS })(input),
  ),
};

function prepared(inputJson: string): string {
  const preparation = prepareInput(inputJson, limits);
  if (!preparation.ok) throw new Error(`the benchmark call was refused: ${preparation.problem.message}`);
  return preparation.preparedJson;
}

/** A run's evaluation as the executor does it (execute-run.ts), up to the output it stores. */
async function evaluate(preparedJson: string) {
  const { conversation, context, inputSha256 } = parsePreparedInput(preparedJson);
  const result = await evaluateKit({
    bricks,
    conversation,
    preparedJson,
    context,
    engines,
    model: {},
    sandbox: false,
    seed: inputSha256,
    workspaceId: 'bench',
    signal,
  });
  return { result, outputJson: JSON.stringify({ bricks: result.bricks }) };
}

/**
 * The floor any preparation pays: read the input's JSON and find every word once. Measured in
 * the same process, it tells a slower machine from a slower normaliser.
 */
function baseline(inputJson: string): number {
  const input = JSON.parse(inputJson) as { transcript: string | { text: string }[] };
  const texts =
    typeof input.transcript === 'string' ? [input.transcript] : input.transcript.map((t) => t.text);
  let words = 0;
  for (const text of texts) words += text.match(/\S+/g)?.length ?? 0;
  return words;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
};

/** CPU ms per call of `work`: a warm-up first, then at least `minCpuMs` of calls. */
async function cpuPerRun(work: () => unknown): Promise<number> {
  for (let started = cpuMs(), runs = 0; runs < 5 || cpuMs() - started < minCpuMs / 3; runs++) await work();
  const started = cpuMs();
  let runs = 0;
  while (runs < 10 || cpuMs() - started < minCpuMs) {
    await work();
    runs++;
  }
  return (cpuMs() - started) / runs;
}

const call = salesCall();
const inputs = salesCallInputs(call);
const shapes = {} as ProbeFigures['shapes'];
for (const shape of ['transcript', 'timed'] as const) {
  const inputJson = inputs[shape];
  const preparedJson = prepared(inputJson);
  const { conversation } = parsePreparedInput(preparedJson);
  const { result } = await evaluate(preparedJson);
  shapes[shape] = {
    turns: conversation.turns.length,
    words: call.words,
    characters: conversation.text.length,
    inputChars: inputJson.length,
    baselineMs: await cpuPerRun(() => baseline(inputJson)),
    normaliseMs: await cpuPerRun(() => prepared(inputJson)),
    evaluateMs: await cpuPerRun(() => evaluate(preparedJson)),
    values: Object.fromEntries(Object.entries(result.bricks).map(([key, brick]) => [key, brick.value])),
  };
}
console.log(JSON.stringify({ tree, shapes } satisfies ProbeFigures));
// The pattern scanner's thread keeps the process alive.
process.exit(0);
