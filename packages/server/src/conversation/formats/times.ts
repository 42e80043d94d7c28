/**
 * "01:23" is minutes:seconds, "1:02:03" hours:minutes:seconds; a fraction of a second may follow
 * after "." or ",". Undefined input, undefined output.
 */
export function parseClockTime(time: string | undefined): number | null {
  if (time === undefined) return null;
  const [clock = '', fraction = ''] = time.trim().split(/[.,]/u);
  const seconds = clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  if (!Number.isFinite(seconds)) return null;
  return seconds * 1000 + (fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * 1000));
}

/** Lines of a text, whatever its line ends. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
}
