import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Kit codes: uppercase 0-9A-Z without I L O U (SPEC §1), so they survive being read aloud. */
const KIT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Monotonic ULIDs: time-ordered, so ordering by id is ordering by creation, which list pagination
 * relies on. Within one millisecond the random part is incremented instead of redrawn.
 */
export function createUlidFactory(clock: Clock): () => string {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return () => {
    let time = clock.now();
    if (time <= lastTime) {
      time = lastTime;
      let i = lastRandom.length - 1;
      while (i >= 0 && lastRandom[i] === 31) {
        lastRandom[i] = 0;
        i--;
      }
      if (i < 0) {
        // 80 bits exhausted within one millisecond: move to the next millisecond.
        time = lastTime + 1;
        lastRandom = drawRandom();
      } else {
        lastRandom[i] = (lastRandom[i] ?? 0) + 1;
      }
    } else {
      lastRandom = drawRandom();
    }
    lastTime = time;
    return encodeTime(time) + lastRandom.map((d) => CROCKFORD[d]).join('');
  };
}

function encodeTime(time: number): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function drawRandom(): number[] {
  const bytes = randomBytes(16);
  // Keep the top digit below 16 so increments have room before overflowing.
  return Array.from({ length: 16 }, (_, i) => (i === 0 ? bytes[i]! % 16 : bytes[i]! % 32));
}

export interface IdGenerator {
  ulid(): string;
  uuid(): string;
}

export function createIdGenerator(clock: Clock): IdGenerator {
  return { ulid: createUlidFactory(clock), uuid: () => randomUUID() };
}

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function newKitCode(): string {
  return randomString(KIT_CODE_ALPHABET, 8);
}

export const KIT_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** A new API key secret: `smz_live_` or `smz_test_` followed by 32 base62 characters. */
export function newApiKeySecret(mode: 'live' | 'test'): string {
  return `smz_${mode}_${randomString(BASE62, 32)}`;
}

export const API_KEY_PATTERN = /^smz_(live|test)_[0-9A-Za-z]{32}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
