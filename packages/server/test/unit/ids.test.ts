import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import {
  API_KEY_PATTERN,
  createIdGenerator,
  createUlidFactory,
  KIT_CODE_PATTERN,
  newApiKeySecret,
  newKitCode,
  sha256Hex,
} from '../../src/ids.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** The millisecond timestamp a ULID's first 10 characters encode. */
function ulidTime(ulid: string): number {
  return [...ulid.slice(0, 10)].reduce((t, c) => t * 32 + CROCKFORD.indexOf(c), 0);
}

function fixedClock(start: number): Clock & { set(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    set: (ms) => {
      time = ms;
    },
  };
}

const T = Date.UTC(2025, 0, 6, 9, 0, 0);

describe('ULIDs', () => {
  it('are 26 Crockford base32 characters encoding the clock time', () => {
    const clock = fixedClock(T);
    const id = createUlidFactory(clock)();
    expect(id).toMatch(ULID);
    expect(ulidTime(id)).toBe(T);
  });

  it('increase strictly within one millisecond of a fixed clock', () => {
    const next = createUlidFactory(fixedClock(T));
    const ids = Array.from({ length: 5_000 }, () => next());
    for (const id of ids) {
      expect(id).toMatch(ULID);
      expect(ulidTime(id)).toBe(T);
    }
    for (let i = 1; i < ids.length; i++)
      expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`).toBe(true);
  });

  it('sort by creation time across milliseconds', () => {
    const clock = fixedClock(T);
    const next = createUlidFactory(clock);
    const a = next();
    clock.set(T + 1);
    const b = next();
    clock.set(T + 60_000);
    const c = next();
    expect([c, a, b].sort()).toEqual([a, b, c]);
    expect(ulidTime(c)).toBe(T + 60_000);
  });

  it('stay increasing when the clock goes backwards', () => {
    const clock = fixedClock(T);
    const next = createUlidFactory(clock);
    const before = next();
    clock.set(T - 5_000);
    const after = next();
    expect(after > before).toBe(true);
    expect(ulidTime(after)).toBe(T);
  });

  it('differ between generators at the same millisecond', () => {
    const a = createUlidFactory(fixedClock(T))();
    const b = createUlidFactory(fixedClock(T))();
    expect(a).not.toBe(b);
  });

  it('createIdGenerator gives ULIDs and RFC 4122 v4 UUIDs', () => {
    const ids = createIdGenerator(fixedClock(T));
    expect(ulidTime(ids.ulid())).toBe(T);
    const uuid = ids.uuid();
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.uuid()).not.toBe(uuid);
  });
});

describe('Kit codes', () => {
  it('are 8 characters of 0-9 and A-Z without I, L, O, U', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3_000; i++) {
      const code = newKitCode();
      expect(code).toMatch(/^[0-9A-Z]{8}$/);
      expect(code).toMatch(KIT_CODE_PATTERN);
      expect(code).not.toMatch(/[ILOU]/);
      for (const c of code) seen.add(c);
    }
    // 24,000 draws from 32 symbols: every symbol of the alphabet turns up.
    expect([...seen].sort().join('')).toBe(CROCKFORD);
  });

  it('KIT_CODE_PATTERN accepts the starter code and refuses ambiguous letters and wrong lengths', () => {
    expect(KIT_CODE_PATTERN.test('A1B2C3D4')).toBe(true);
    for (const bad of ['A1B2C3DI', 'A1B2C3DL', 'A1B2C3DO', 'A1B2C3DU', 'a1b2c3d4', 'A1B2C3D', 'A1B2C3D45']) {
      expect(KIT_CODE_PATTERN.test(bad), bad).toBe(false);
    }
  });
});

describe('API keys', () => {
  it('are smz_live_ or smz_test_ and 32 base62 characters, different every time', () => {
    const live = newApiKeySecret('live');
    const test = newApiKeySecret('test');
    expect(live).toMatch(/^smz_live_[0-9A-Za-z]{32}$/);
    expect(test).toMatch(/^smz_test_[0-9A-Za-z]{32}$/);
    expect(API_KEY_PATTERN.test(live)).toBe(true);
    expect(API_KEY_PATTERN.test(test)).toBe(true);
    expect(newApiKeySecret('live')).not.toBe(live);
  });

  it('API_KEY_PATTERN refuses other shapes', () => {
    const body = 'a'.repeat(32);
    for (const bad of [
      `smz_prod_${body}`,
      `smz_live_${body}x`,
      `smz_live_${'a'.repeat(31)}`,
      `smz_live_${'a'.repeat(31)}-`,
    ]) {
      expect(API_KEY_PATTERN.test(bad), bad).toBe(false);
    }
  });

  it('sha256Hex is the hex SHA-256 of the text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
