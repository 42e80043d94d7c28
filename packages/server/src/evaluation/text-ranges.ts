import type { TextRange } from '../conversation/sentences.ts';

/** How quotes are cut to size; the ranges themselves (sentences, clauses) are conversation/sentences.ts'. */

/**
 * Shortens a range to at most `max` characters without cutting a word in half, keeping its start
 * (for "the beginning of a monologue") or its end (for "the question at the end of a sentence").
 */
export function limitRange(text: string, range: TextRange, max: number, keep: 'start' | 'end'): TextRange {
  if (range.end - range.start <= max) return range;
  if (keep === 'start') {
    let end = range.start + max;
    const space = text.lastIndexOf(' ', end);
    if (space > range.start) end = space;
    return { start: range.start, end: trimEnd(text, range.start, end) };
  }
  let start = range.end - max;
  const space = text.indexOf(' ', start - 1);
  if (space >= 0 && space < range.end) start = space + 1;
  return { start, end: range.end };
}

/** A window of at most `max` characters of `within` around `match`, on word boundaries where possible. */
export function windowAround(text: string, within: TextRange, match: TextRange, max: number): TextRange {
  const room = Math.max(0, max - (match.end - match.start));
  let from = Math.max(within.start, match.start - Math.floor(room / 2));
  let to = Math.min(within.end, from + (match.end - match.start) + room);
  from = Math.max(within.start, to - max);
  if (from > within.start) {
    const space = text.indexOf(' ', from);
    if (space >= 0 && space < match.start) from = space + 1;
  }
  if (to < within.end) {
    const space = text.lastIndexOf(' ', to);
    if (space >= match.end) to = space;
  }
  return { start: from, end: trimEnd(text, from, to) };
}

function trimEnd(text: string, start: number, end: number): number {
  let to = end;
  while (to > start && /\s/u.test(text[to - 1] ?? '')) to--;
  return to;
}
