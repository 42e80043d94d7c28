/**
 * Lets PostgreSQL statements use `$name` parameters like the SQLite adapter, so both dialects read
 * alike. Compiles `… WHERE id = $runId` to `… WHERE id = $1` once per statement text; a name used
 * twice is one positional parameter.
 */
export interface CompiledStatement {
  text: string;
  names: string[];
  /** Names the prepared statement on each connection (see database.ts): one per statement text. */
  id: number;
}

const NAME = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const cache = new Map<string, CompiledStatement>();

export function compile(sql: string): CompiledStatement {
  let compiled = cache.get(sql);
  if (!compiled) {
    const names: string[] = [];
    const text = sql.replace(NAME, (_, name: string) => {
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      return `$${index + 1}`;
    });
    compiled = { text, names, id: cache.size };
    cache.set(sql, compiled);
  }
  return compiled;
}

/** PostgreSQL text cannot hold NUL characters; SQLite can. Free text from clients may carry them. */
function storable(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
}

export function valuesFor(compiled: CompiledStatement, params: Record<string, unknown>): unknown[] {
  return compiled.names.map((name) => {
    if (!(name in params)) throw new Error(`SQL parameter $${name} has no value`);
    return storable(params[name]);
  });
}
