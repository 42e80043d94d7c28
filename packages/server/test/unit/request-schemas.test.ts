import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors/api-error.ts';
import { parseCreateRunBody, parseIdempotencyKey, parsePreferWait } from '../../src/runs/request-schemas.ts';

function apiErrorOf(work: () => unknown): ApiError {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

const VERSION_ID = '0b6f2c1e-9a3d-4c1b-8e2f-3d4c5b6a7e8f';
const input = { transcript: 'Rep: Hello.' };

describe('parseCreateRunBody', () => {
  it('accepts a minimal body, fills defaults and upper-cases the Kit code', () => {
    expect(parseCreateRunBody({ kit_code: 'a1b2c3d4', input })).toEqual({
      kit_code: 'A1B2C3D4',
      input,
      type: 'api',
      mode: 'async',
    });
    expect(parseCreateRunBody({ kit_version_id: VERSION_ID, input, type: 'sandbox', mode: 'sync' })).toEqual({
      kit_version_id: VERSION_ID,
      kit_code: undefined,
      input,
      type: 'sandbox',
      mode: 'sync',
    });
  });

  it('a body that is not a JSON object is invalid_json', () => {
    for (const body of [null, [], 'text', 42, undefined]) {
      const error = apiErrorOf(() => parseCreateRunBody(body));
      expect(error.code, JSON.stringify(body)).toBe('invalid_json');
      expect(error.status).toBe(400);
    }
  });

  it('answers the most specific code first, in the documented order', () => {
    // Every mistake at once: the missing Kit is reported first.
    const everything = { input: 'no', type: 'batch', mode: 'later', extra: 1 };
    expect(apiErrorOf(() => parseCreateRunBody(everything)).code).toBe('kit_code_or_kit_version_id_required');
    expect(apiErrorOf(() => parseCreateRunBody({ kit_code: null, kit_version_id: null, input })).code).toBe(
      'kit_code_or_kit_version_id_required',
    );

    const withKit = { ...everything, kit_code: 'A1B2C3D4' };
    expect(apiErrorOf(() => parseCreateRunBody(withKit)).code).toBe('input_must_be_object');
    expect(apiErrorOf(() => parseCreateRunBody({ kit_code: 'A1B2C3D4' })).code).toBe('input_must_be_object');
    expect(apiErrorOf(() => parseCreateRunBody({ kit_code: 'A1B2C3D4', input: [input] })).code).toBe(
      'input_must_be_object',
    );

    const withInput = { ...withKit, input };
    const runType = apiErrorOf(() => parseCreateRunBody(withInput));
    expect(runType.code).toBe('invalid_run_type');
    expect(runType.detail).toEqual({ received: 'batch' });

    const runMode = apiErrorOf(() => parseCreateRunBody({ ...withInput, type: 'api' }));
    expect(runMode.code).toBe('invalid_run_mode');
    expect(runMode.detail).toEqual({ received: 'later' });

    const rest = apiErrorOf(() => parseCreateRunBody({ ...withInput, type: 'api', mode: 'sync' }));
    expect(rest.code).toBe('invalid_request');
    expect(rest.detail).toEqual({ fields: [{ field: '(root)', message: 'unknown field(s): extra' }] });
  });

  it('a null type or mode is named as received', () => {
    expect(apiErrorOf(() => parseCreateRunBody({ kit_code: 'A1B2C3D4', input, type: null })).detail).toEqual({
      received: null,
    });
  });

  it('other field-level failures are invalid_request naming each field', () => {
    const error = apiErrorOf(() => parseCreateRunBody({ kit_version_id: 'not-a-uuid', kit_code: '', input }));
    expect(error.code).toBe('invalid_request');
    const fields = ((error.detail?.['fields'] ?? []) as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['kit_code', 'kit_version_id']);
  });
});

describe('parseIdempotencyKey', () => {
  const code = (raw: string | string[]) => apiErrorOf(() => parseIdempotencyKey(raw)).code;

  it('no header means no key', () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
  });

  it('accepts 1 to 254 printable ASCII characters', () => {
    expect(parseIdempotencyKey('order-42')).toBe('order-42');
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('k'.repeat(254))).toBe('k'.repeat(254));
    expect(parseIdempotencyKey('with spaces ~!')).toBe('with spaces ~!');
  });

  it('unwraps a structured-field quoted string', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    // The 254-character limit applies to the key inside the quotes.
    expect(parseIdempotencyKey(`"${'k'.repeat(254)}"`)).toBe('k'.repeat(254));
  });

  it('refuses empty, too long, non-printable or repeated keys', () => {
    expect(code('')).toBe('invalid_idempotency_key');
    expect(code('""')).toBe('invalid_idempotency_key');
    expect(code('k'.repeat(255))).toBe('invalid_idempotency_key');
    expect(code('tab\there')).toBe('invalid_idempotency_key');
    expect(code('bell\u0007')).toBe('invalid_idempotency_key');
    expect(code('clé')).toBe('invalid_idempotency_key');
    expect(code(['a', 'b'])).toBe('invalid_idempotency_key');
    expect(apiErrorOf(() => parseIdempotencyKey('')).status).toBe(400);
  });
});

describe('parsePreferWait', () => {
  it('reads wait=N in seconds', () => {
    expect(parsePreferWait('wait=5')).toBe(5);
    expect(parsePreferWait('WAIT = 7')).toBe(7);
    expect(parsePreferWait('wait="12"')).toBe(12);
  });

  it('clamps to 1–60 seconds', () => {
    expect(parsePreferWait('wait=0')).toBe(1);
    expect(parsePreferWait('wait=60')).toBe(60);
    expect(parsePreferWait('wait=3600')).toBe(60);
  });

  it('finds wait among other preferences and ignores the rest', () => {
    expect(parsePreferWait('respond-async, wait=10')).toBe(10);
    expect(parsePreferWait('wait=10; foo=bar, handling=lenient')).toBe(10);
    expect(parsePreferWait(['respond-async', 'wait=3'])).toBe(3);
    expect(parsePreferWait('handling=strict, return=minimal')).toBeNull();
  });

  it('the first wait wins when several are sent (RFC 7240)', () => {
    expect(parsePreferWait('wait=5, wait=9')).toBe(5);
    expect(parsePreferWait(['wait=4', 'wait=30'])).toBe(4);
  });

  it('ignores an absent or unreadable wait', () => {
    expect(parsePreferWait(undefined)).toBeNull();
    expect(parsePreferWait('')).toBeNull();
    expect(parsePreferWait('wait=soon')).toBeNull();
    expect(parsePreferWait('wait=-5')).toBeNull();
    expect(parsePreferWait('wait=1.5')).toBeNull();
    expect(parsePreferWait('waiting=5')).toBeNull();
  });
});
