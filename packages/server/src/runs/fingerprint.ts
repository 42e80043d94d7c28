import { canonicalJson } from '../canonical-json.ts';
import { sha256Hex } from '../ids.ts';

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
