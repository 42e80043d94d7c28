import { sha256Hex } from '../ids.ts';

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

/**
 * The idempotency fingerprint (SPEC §3.7): canonical JSON of kit_code, kit_version_id, input and
 * type; mode is not part of it. A hash per field lets a conflict name what differs.
 */
export function requestFingerprint(fields: {
  kit_code: string | null;
  kit_version_id: string | null;
  /** SHA-256 of the input's canonical JSON (PreparedInput.inputSha256): the input is hashed once. */
  inputSha256: string;
  type: string;
}): { fingerprint: string; fieldHashes: Record<string, string> } {
  const fieldHashes: Record<string, string> = {
    kit_code: sha256Hex(canonicalJson(fields.kit_code)),
    kit_version_id: sha256Hex(canonicalJson(fields.kit_version_id)),
    input: fields.inputSha256,
    type: sha256Hex(canonicalJson(fields.type)),
  };
  return { fingerprint: sha256Hex(canonicalJson(fieldHashes)), fieldHashes };
}
