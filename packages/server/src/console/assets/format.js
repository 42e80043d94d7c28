// Numbers and times for people, in the viewer's locale.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const formatDate = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');

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
