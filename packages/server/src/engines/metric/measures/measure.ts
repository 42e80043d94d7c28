import { labelKey } from '../../../conversation/labels.ts';
import type { Side, Turn } from '../../../conversation/model.ts';
import { countWords } from '../../../conversation/text.ts';
import type { EvidenceSpan } from '../../../evaluation/brick-result.ts';
import type { Conversation } from '../../../evaluation/conversation.ts';

/**
 * Whose talk a measure is about (docs/signals.md §2): one speaker, one side, or everyone. A
 * measure counts the turns of its target, and judges its confidence on the talk it counts.
 */
export type Target = { kind: 'speaker'; name: string } | { kind: 'side'; side: Side } | { kind: 'all' };

/** What a measure found: a number, or null with the reason there is no basis for one. */
export interface Measurement {
  value: number | null;
  /** How many decimals the value is worth reporting with. */
  decimals: number;
  reason: string;
  /** 0–1: how much of what the measure relies on is known rather than guessed (§3). */
  confidence: number;
  spans?: EvidenceSpan[];
  details: Record<string, unknown>;
}

export type Measure = (conversation: Conversation, target: Target) => Measurement;

export const MAX_QUOTES = 5;
/** What by_speaker calls a turn without a speaker, and by_side a turn without a side. */
export const UNKNOWN = '(unknown)';

export function isTargetTurn(turn: Turn, target: Target): boolean {
  if (target.kind === 'all') return true;
  if (target.kind === 'side') return turn.side === target.side;
  return turn.speaker !== null && labelKey(turn.speaker) === labelKey(target.name);
}

export function targetName(target: Target): string {
  if (target.kind === 'speaker') return target.name;
  if (target.kind === 'side') return `The ${target.side} side`;
  return 'Everyone';
}

/** Whether a turn's part in the measure is known: its speaker (its side, for a side), and timings. */
function known(turn: Turn, target: Target, needsSpeakers: boolean, needsTimings: boolean): boolean {
  if (needsTimings && (turn.start_ms === null || turn.end_ms === null)) return false;
  if (!needsSpeakers) return true;
  return target.kind === 'side' ? turn.side !== null : turn.speaker !== null;
}

/**
 * Confidence (§3): 1 when every turn has what the measure relies on; else the share of the words
 * whose turn does. A measure never reports confidence 1 on a guess.
 */
export function confidenceOf(
  turns: readonly Turn[],
  target: Target,
  needs: { speakers: boolean; timings: boolean },
): number {
  let all = 0;
  let sure = 0;
  for (const turn of turns) {
    const words = countWords(turn.text);
    all += words;
    if (known(turn, target, needs.speakers, needs.timings)) sure += words;
  }
  if (all === 0) return 0;
  return Math.floor((100 * sure) / all) / 100;
}

/** The words of each speaker and side, as counted by every per-speaker breakdown. */
export function wordsBy(turns: readonly Turn[]): {
  bySpeaker: Map<string, number>;
  bySide: Map<string, number>;
} {
  const bySpeaker = new Map<string, number>();
  const bySide = new Map<string, number>();
  for (const turn of turns) {
    const words = countWords(turn.text);
    const speaker = turn.speaker ?? UNKNOWN;
    const side = turn.side ?? UNKNOWN;
    bySpeaker.set(speaker, (bySpeaker.get(speaker) ?? 0) + words);
    bySide.set(side, (bySide.get(side) ?? 0) + words);
  }
  return { bySpeaker, bySide };
}

export function noBasis(reason: string, details: Record<string, unknown>): Measurement {
  return { value: null, decimals: 0, reason, confidence: 0, details };
}

export function toSpan(turn: Turn, range: { start: number; end: number }): EvidenceSpan {
  return { turn: turn.index, start: range.start, end: range.end };
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

export const hasTimings = (turn: Turn): turn is Turn & { start_ms: number; end_ms: number } =>
  turn.start_ms !== null && turn.end_ms !== null;

/** A side target with no speaker on that side (or a speaker who never speaks) has no basis. */
export function absentTarget(turns: readonly Turn[], target: Target): string | null {
  if (target.kind === 'all' || turns.some((turn) => isTargetTurn(turn, target))) return null;
  if (target.kind === 'speaker') return `Speaker "${target.name}" does not speak in this conversation.`;
  return `No speaker is known to be on the ${target.side} side (name the participants with their side, or use role labels such as Rep and Prospect).`;
}

export function ofMap(
  map: ReadonlyMap<string, number>,
  value: (n: number) => number,
): Record<string, number> {
  return Object.fromEntries([...map].map(([key, n]) => [key, value(n)]));
}
