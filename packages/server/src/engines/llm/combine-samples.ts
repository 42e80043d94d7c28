import type { OutputSpec } from '../../kits/brick.ts';
import { MAX_QUOTES } from './llm-prompt.ts';

/** One Brick's answer as the model gave it, once its schema check passed. */
export interface Answer {
  evidence: { turn: number | null; quote: string }[];
  reason: string;
  value: unknown;
  confidence: number;
}

/** One sample's fitting answer for a Brick, with what was repaired to make it fit. */
export interface Sample {
  answer: Answer;
  repaired: readonly string[];
}

/** What k samples of one Brick came to (SPEC §11.5). */
export interface Combined {
  /** The combined answer; its confidence is the agreement, before the evidence factor. */
  answer: Answer;
  repaired: string[];
  /** How many of the k samples agree with the value. */
  agreeing: number;
  /** The values the fitting samples gave, in sample order. */
  values: unknown[];
}

/**
 * How close two numbers must be to agree: a tenth of the range when the output has one, else a
 * tenth of the value itself (docs/decisions.md, "Self-consistency").
 */
export const NUMBER_TOLERANCE = 0.1;
/** How much two lists (items) or texts (words) must share to agree: Jaccard similarity. */
export const OVERLAP_TO_AGREE = 0.5;

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
const words = (text: string) => new Set(fold(text).match(/[\p{L}\p{N}\p{M}']+/gu) ?? []);

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The most frequent value (by its JSON); a tie goes to the value the earliest sample gave. */
function majority(values: readonly unknown[]): unknown {
  const counts = new Map<string, { value: unknown; count: number }>();
  for (const value of values) {
    const key = JSON.stringify(value);
    const entry = counts.get(key) ?? { value, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  let best: { value: unknown; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.value ?? null;
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Null when more samples abstained than answered: the majority had no basis. */
const mostlyNull = (values: readonly unknown[]) =>
  values.filter((v) => v === null).length > values.filter((v) => v !== null).length;

/** The combined value of a type, and whether one sample's value agrees with it. */
interface Rule {
  combine(values: readonly unknown[]): unknown;
  agrees(value: unknown, combined: unknown): boolean;
}

function ruleFor(output: OutputSpec): Rule {
  const nullSafe = (agrees: (value: unknown, combined: unknown) => boolean) => (v: unknown, c: unknown) =>
    v === null || c === null ? v === c : agrees(v, c);
  switch (output.type) {
    case 'boolean':
    case 'category':
      return { combine: majority, agrees: (v, c) => v === c };
    case 'score':
    case 'number': {
      const range =
        output.min !== undefined && output.max !== undefined ? output.max - output.min : undefined;
      return {
        combine: (values) =>
          mostlyNull(values) ? null : median(values.filter((v): v is number => typeof v === 'number')),
        agrees: nullSafe(
          (v, c) =>
            Math.abs((v as number) - (c as number)) <= NUMBER_TOLERANCE * (range ?? Math.abs(c as number)),
        ),
      };
    }
    case 'string_list': {
      const items = (value: unknown) => new Set((value as string[]).map(fold));
      return {
        // Items more than half of the samples named, as the first sample to name them wrote them.
        combine: (values) => {
          const lists = values as string[][];
          const kept: string[] = [];
          for (const item of lists.flat()) {
            const key = fold(item);
            const named = lists.filter((list) => list.some((other) => fold(other) === key)).length;
            if (named * 2 > lists.length && !kept.some((k) => fold(k) === key)) kept.push(item);
          }
          return kept;
        },
        agrees: (v, c) => jaccard(items(v), items(c)) >= OVERLAP_TO_AGREE,
      };
    }
    case 'text': {
      const agrees = nullSafe((v, c) => jaccard(words(v as string), words(c as string)) >= OVERLAP_TO_AGREE);
      return {
        // The text the others resemble most (the medoid): free text has no majority of its own.
        combine: (values) => {
          if (mostlyNull(values)) return null;
          const texts = values.filter((v): v is string => typeof v === 'string');
          const closeness = (t: string) =>
            texts.reduce((sum, other) => sum + jaccard(words(t), words(other)), 0);
          return texts.reduce((best, t) => (closeness(t) > closeness(best) ? t : best), texts[0]!);
        },
        agrees,
      };
    }
  }
}

/**
 * Whether two values of one output type agree, by the rule samples are counted with: equal, within
 * a tenth for numbers, sharing half of the items or words for lists and text. Also how
 * `npm run eval -- --model` compares a model's value with a label.
 */
export function valuesAgree(output: OutputSpec, value: unknown, other: unknown): boolean {
  return ruleFor(output).agrees(value, other);
}

/**
 * Combines the fitting answers of k samples of one Brick: the majority value (median for numbers
 * and scores), the agreement (the share of all k samples that agree with it, a sample with no
 * fitting answer agreeing with nothing) as the confidence, and the quotes and reason of the samples
 * that agree.
 */
export function combineSamples(output: OutputSpec, samples: readonly Sample[], k: number): Combined {
  const rule = ruleFor(output);
  const values = samples.map((s) => s.answer.value);
  const value = rule.combine(values);
  const agreeing = samples.filter((s) => rule.agrees(s.answer.value, value));
  const first = agreeing[0] ?? samples[0]!;
  return {
    answer: {
      evidence: agreeing.flatMap((s) => s.answer.evidence).slice(0, MAX_QUOTES),
      reason: first.answer.reason,
      value,
      confidence: agreeing.length / k,
    },
    repaired: [...new Set(agreeing.flatMap((s) => s.repaired))],
    agreeing: agreeing.length,
    values,
  };
}
