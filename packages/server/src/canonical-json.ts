import { sha256Hex } from './ids.ts';

/** JSON with object keys sorted at every level, so equal requests serialise equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 of an input's canonical JSON: its part of the fingerprint, and the sandbox seed. */
export function inputSha256(input: unknown): string {
  return sha256Hex(canonicalJson(input));
}
