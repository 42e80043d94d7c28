// The difference between two Kit versions: its own settings, and Brick by Brick what was added,
// removed, re-pinned or moved, down to the fields of each Brick definition that changed.

/** `{ "output.max": 100, "sources": ["call"] }`: leaves by dotted path; arrays are leaves. */
export function flatten(value, prefix = '', into = {}) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    if (Object.keys(value).length === 0 && prefix) into[prefix] = {};
  } else if (prefix) into[prefix] = value;
  return into;
}

/** Fields whose values differ, in path order: `{ field, from, to }` (undefined: absent on that side). */
export function fieldChanges(from, to, ignore = []) {
  const a = flatten(from ?? {});
  const b = flatten(to ?? {});
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (f) => !ignore.some((skip) => f === skip || f.startsWith(`${skip}.`)),
  );
  return fields
    .sort()
    .filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]))
    .map((field) => ({ field, from: a[field], to: b[field] }));
}

/**
 * @param from a kit_version view (the older side)
 * @param to another kit_version view
 * @param definitions optional `(key, version) => full Brick definition` for re-pinned Bricks; the
 *   Kit version view carries name, engine and output only
 */
export function diffKitVersions(from, to, definitions = () => null) {
  const settings = fieldChanges(
    { name: from.name, description: from.description, model: from.model },
    { name: to.name, description: to.description, model: to.model },
  );
  const before = new Map(from.bricks.map((b, i) => [b.key, { ...b, position: i }]));
  const after = new Map(to.bricks.map((b, i) => [b.key, { ...b, position: i }]));
  const bricks = [];
  for (const b of to.bricks) {
    const old = before.get(b.key);
    const now = after.get(b.key);
    if (!old) {
      bricks.push({ key: b.key, change: 'added', to: now.version, fields: [] });
      continue;
    }
    const moved = relativeOrder(from.bricks, to.bricks, b.key);
    if (old.version === now.version) {
      bricks.push({
        key: b.key,
        change: moved ? 'moved' : 'unchanged',
        from: old.version,
        to: now.version,
        fields: [],
      });
      continue;
    }
    const full = [definitions(b.key, old.version), definitions(b.key, now.version)];
    const fields = fieldChanges(full[0] ?? strip(old), full[1] ?? strip(now), [
      'version',
      'created_at',
      'object',
      'versions',
    ]);
    bricks.push({
      key: b.key,
      change: 'changed',
      from: old.version,
      to: now.version,
      moved,
      fields,
      complete: Boolean(full[0] && full[1]),
    });
  }
  for (const b of from.bricks) {
    if (!after.has(b.key)) bricks.push({ key: b.key, change: 'removed', from: b.version, fields: [] });
  }
  return { settings, bricks, changed: settings.length > 0 || bricks.some((b) => b.change !== 'unchanged') };
}

const strip = ({ position: _p, version: _v, ...rest }) => rest;

/** Whether a Brick kept in both versions sits in another place among the Bricks kept in both. */
function relativeOrder(fromBricks, toBricks, key) {
  const kept = new Set(fromBricks.map((b) => b.key).filter((k) => toBricks.some((b) => b.key === k)));
  const a = fromBricks.map((b) => b.key).filter((k) => kept.has(k));
  const b = toBricks.map((x) => x.key).filter((k) => kept.has(k));
  return a.indexOf(key) !== b.indexOf(key);
}

/** A value as the diff shows it. */
export function shown(value) {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  return JSON.stringify(value);
}
