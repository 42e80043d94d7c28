/**
 * Removes what a reply quotes (SPEC §10.1), so a thread counts every message once: `>` lines, and
 * everything from an attribution line ("On Tue, … wrote:", its French and German forms), an
 * "-----Original Message-----" line or an Outlook header block ("From:" then "Sent:") to the end.
 * Returns the text without them, and whether anything was removed.
 */
export function withoutQuotedReplies(text: string): { text: string; removed: boolean } {
  const lines = text.split(/\r\n|\r|\n/u);
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (
      ATTRIBUTION.some((pattern) => pattern.test(line)) ||
      /^-{2,}\s*Original Message\s*-{2,}$/iu.test(line) ||
      // Outlook's reply header. Not "From:" then "Date:": that is how a Gmail forward starts, and a
      // forward is new content for the thread.
      (/^From:\s/iu.test(line) && /^Sent:\s/iu.test((lines[i + 1] ?? '').trim()))
    ) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((line) => !/^\s*>/u.test(line));
  const removed = end < lines.length || kept.length < end;
  return { text: kept.join('\n'), removed };
}

// "On Tue, 3 Dec 2026 at 10:00, Dana <dana@x.com> wrote:" (possibly wrapped onto two lines is rare
// enough to leave), "Le … a écrit :", "Am … schrieb …:".
const ATTRIBUTION = [
  /^On\b.{0,300}\bwrote:$/iu,
  /^Le\b.{0,300}\ba écrit ?:$/iu,
  /^Am\b.{0,300}\bschrieb\b.{0,100}:$/iu,
];
