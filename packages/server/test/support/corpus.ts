/**
 * The labelled corpus (corpus/README.md): every case's expectations checked against the real
 * normaliser and engines, in this process. Used by the corpus test (CI fails on a broken label)
 * and by `npm run eval` (accuracy per measure and per format).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { normaliseInput } from '../../src/conversation/normalise-input.ts';
import { metricEngine } from '../../src/engines/metric/metric-engine.ts';
import { PatternQuarantine } from '../../src/engines/tracker/guarded-patterns.ts';
import { createTrackerEngine } from '../../src/engines/tracker/tracker-engine.ts';
import type { Conversation } from '../../src/evaluation/conversation.ts';
import { BrickDefinition } from '../../src/kits/brick.ts';
import { type FixedAnswerJudge, type LlmExpectation, llmBrick } from './corpus-llm.ts';

export const CORPUS_DIR = join(import.meta.dirname, '../../../../corpus/cases');

interface CaseFile {
  id: string;
  title: string;
  language: string;
  format: string;
  input: Record<string, unknown>;
  turns?: Record<string, unknown>[];
  metrics?: ({ measure: string; value: number | null } & Record<string, unknown>)[];
  trackers?: { tracker: Record<string, unknown>; count: number; terms?: string[]; negated?: number }[];
  /** llm Bricks with their labels and fixed model answers (corpus-llm.ts). */
  llm?: LlmExpectation[];
}

/** One labelled expectation and what the code answered. */
export interface Check {
  caseId: string;
  format: string;
  language: string;
  /** What is checked: `format`, `turns`, a measure name, or `tracker`. */
  kind: string;
  label: string;
  expected: unknown;
  actual: unknown;
  pass: boolean;
}

export async function readCorpus(): Promise<CaseFile[]> {
  const files = (await readdir(CORPUS_DIR)).filter((file) => file.endsWith('.yaml')).sort();
  return Promise.all(
    files.map(async (file) => parse(await readFile(join(CORPUS_DIR, file), 'utf8')) as CaseFile),
  );
}

const round1 = (value: unknown) => (typeof value === 'number' ? Math.round(value * 10) / 10 : value);
const signal = new AbortController().signal;

/** Checks a case; its fixed model answers only when given a judge for them (corpus-llm.ts). */
export async function checkCase(item: CaseFile, judge?: FixedAnswerJudge): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (kind: string, label: string, expected: unknown, actual: unknown) =>
    checks.push({
      caseId: item.id,
      format: item.format,
      language: item.language,
      kind,
      label,
      expected,
      actual,
      pass: JSON.stringify(expected) === JSON.stringify(actual),
    });
  let conversation: Conversation;
  let context: Record<string, unknown>;
  try {
    ({ conversation, context } = normaliseInput(item.input));
  } catch (error) {
    add('format', 'normalises', item.format, `throws: ${(error as Error).message}`);
    return checks;
  }
  add('format', 'format', item.format, conversation.format);
  if (item.turns) {
    // A field a labelled turn leaves out is not checked.
    const actual = conversation.turns.map((turn, i) => {
      const wanted = item.turns?.[i] ?? {};
      return Object.fromEntries(
        Object.keys(wanted).map((key) => [key, (turn as unknown as Record<string, unknown>)[key]]),
      );
    });
    add('turns', 'turns', item.turns, actual);
  }
  for (const { measure, value, ...settings } of item.metrics ?? []) {
    const brick = BrickDefinition.parse({
      key: 'metric',
      name: measure,
      engine: 'metric',
      metric: { name: measure, ...settings },
      output: { type: 'number' },
    });
    const result = await metricEngine(brick, conversation, {}, signal);
    const label = [measure, ...Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`)].join(' ');
    add(measure, label, round1(value), round1(result.value));
  }
  for (const expectation of item.trackers ?? []) {
    const tracker = createTrackerEngine({ quarantine: new PatternQuarantine(), patternBudgetMs: 2_000 });
    const brick = BrickDefinition.parse({
      key: 'tracker',
      name: 'tracker',
      engine: 'tracker',
      tracker: expectation.tracker,
      output: { type: 'string_list', max_items: 50 },
    });
    const { results } = await tracker({
      bricks: [brick],
      conversation,
      context: {},
      model: {},
      workspaceId: 'corpus',
      signal,
    });
    const details = (results['tracker']?.details ?? {}) as { matches?: number; ignored_negated?: number };
    const label = JSON.stringify(expectation.tracker);
    add('tracker', `${label} count`, expectation.count, details.matches);
    if (expectation.terms) add('tracker', `${label} terms`, expectation.terms, results['tracker']?.value);
    if (expectation.negated !== undefined)
      add('tracker', `${label} negated`, expectation.negated, details.ignored_negated);
  }
  for (const expectation of judge ? (item.llm ?? []) : []) {
    const brick = llmBrick(expectation.brick);
    for (const fixed of expectation.answers ?? []) {
      const { expected, actual } = await judge!.judge(brick, conversation, context, fixed);
      add('llm', `${brick.key}: ${fixed.note}`, expected, actual);
    }
  }
  return checks;
}
