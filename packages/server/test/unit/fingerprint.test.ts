import { describe, expect, it } from 'vitest';
import { canonicalJson, inputSha256 } from '../../src/canonical-json.ts';
import { sha256Hex } from '../../src/ids.ts';
import { requestFingerprint as fingerprintOf } from '../../src/runs/fingerprint.ts';

/** The fingerprint of a request as the runs service takes it, the input hashed once. */
function requestFingerprint(request: {
  input: unknown;
  kit_code: string | null;
  kit_version_id: string | null;
  type: string;
}) {
  const { input, ...rest } = request;
  return fingerprintOf({ ...rest, inputSha256: inputSha256(input) });
}

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, e: 'x' };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1,"e":"x"}');
  });

  it('serialises equal objects written in different key orders identically', () => {
    const a = { input: { transcript: 'Rep: hi', account_id: 'acc_1' }, kit_code: 'A1B2C3D4' };
    const b = { kit_code: 'A1B2C3D4', input: { account_id: 'acc_1', transcript: 'Rep: hi' } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('leaves undefined fields out, as JSON does, and writes scalars as JSON', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('say "hi"')).toBe('"say \\"hi\\""');
    expect(canonicalJson([1, 'two', false, null])).toBe('[1,"two",false,null]');
  });
});

describe('requestFingerprint', () => {
  const base = {
    kit_code: 'A1B2C3D4',
    kit_version_id: null,
    input: { transcript: [{ speaker: 'Rep', text: 'Hi' }], meta: { stage: 'discovery', account: 7 } },
    type: 'api',
  };

  it('hashes each fingerprinted field and the whole request as hex SHA-256', () => {
    const { fingerprint, fieldHashes } = requestFingerprint(base);
    expect(Object.keys(fieldHashes).sort()).toEqual(['input', 'kit_code', 'kit_version_id', 'type']);
    expect(fieldHashes['kit_code']).toBe(sha256Hex('"A1B2C3D4"'));
    expect(fieldHashes['kit_version_id']).toBe(sha256Hex('null'));
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same request with keys in another order, nested included', () => {
    const reordered = {
      type: 'api',
      input: { meta: { account: 7, stage: 'discovery' }, transcript: [{ text: 'Hi', speaker: 'Rep' }] },
      kit_version_id: null,
      kit_code: 'A1B2C3D4',
    };
    expect(requestFingerprint(reordered)).toEqual(requestFingerprint(base));
  });

  it('changes when a nested value changes, and only the hash of that field differs', () => {
    const changed = { ...base, input: { ...base.input, meta: { stage: 'negotiation', account: 7 } } };
    const a = requestFingerprint(base);
    const b = requestFingerprint(changed);
    expect(b.fingerprint).not.toBe(a.fingerprint);
    const differing = Object.keys(a.fieldHashes).filter((k) => a.fieldHashes[k] !== b.fieldHashes[k]);
    expect(differing).toEqual(['input']);
  });

  it('is sensitive to array order: a reordered transcript is a different request', () => {
    const twoTurns = { ...base, input: { transcript: ['Rep: Hi', 'Prospect: Hello'] } };
    const swapped = { ...base, input: { transcript: ['Prospect: Hello', 'Rep: Hi'] } };
    expect(requestFingerprint(swapped).fingerprint).not.toBe(requestFingerprint(twoTurns).fingerprint);
  });

  it('tells kit_code from kit_version_id and api from sandbox', () => {
    const byVersion = { ...base, kit_code: null, kit_version_id: 'A1B2C3D4' };
    const a = requestFingerprint(base);
    const b = requestFingerprint(byVersion);
    expect(b.fingerprint).not.toBe(a.fingerprint);
    expect(
      Object.keys(a.fieldHashes)
        .filter((k) => a.fieldHashes[k] !== b.fieldHashes[k])
        .sort(),
    ).toEqual(['kit_code', 'kit_version_id']);
    const sandbox = requestFingerprint({ ...base, type: 'sandbox' });
    expect(sandbox.fingerprint).not.toBe(a.fingerprint);
    expect(sandbox.fieldHashes['input']).toBe(a.fieldHashes['input']);
  });
});
