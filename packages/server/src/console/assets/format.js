// Numbers and times for people, in the viewer's locale.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const formatDate = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');

const TIME_PARTS = new Set(['dayPeriod', 'hour', 'minute', 'second', 'fractionalSecond', 'timeZoneName']);

/**
 * formatDate's text cut into its date, the space before the time, and the time of day, so a narrow
 * column can break there and nowhere else; `time` is '' for a locale that writes the time first.
 * The cut is measured on the parts but taken from format()'s text, which V8 writes with plain
 * spaces where formatToParts keeps U+202F.
 */
export function formatDateParts(iso) {
  const when = new Date(iso);
  const text = dateTime.format(when);
  const parts = dateTime.formatToParts(when);
  const first = parts.findIndex((part) => TIME_PARTS.has(part.type));
  if (first < 2 || parts[first - 1].type !== 'literal') return { date: text, separator: '', time: '' };
  const at = parts.slice(0, first).reduce((length, part) => length + part.value.length, 0);
  const literal = parts[first - 1].value;
  const space = literal.length - literal.trimEnd().length;
  return { date: text.slice(0, at - space), separator: text.slice(at - space, at), time: text.slice(at) };
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export const formatNumber = (n) => new Intl.NumberFormat().format(n);

export function formatValue(value) {
  if (value === null || value === undefined) return 'no value';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Below this a Brick's confidence is shown as low. */
export const LOW_CONFIDENCE = 0.6;

export function formatConfidence(confidence) {
  if (confidence === null || confidence === undefined) return '—';
  return `${Math.round(confidence * 100)}%`;
}
