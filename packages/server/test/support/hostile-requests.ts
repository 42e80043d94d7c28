import { connect } from 'node:net';

/**
 * Malformed and hostile requests for the chaos suite: broken JSON, wrong types, huge strings, deep
 * nesting, odd unicode, header and path abuse. Deterministic from a seed, so a failure replays.
 */
export interface HostileRequest {
  kind: string;
  /** Raw bytes sent on a fresh socket (header abuse), or a fetch-able request. */
  raw?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ODD_STRINGS = [
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066evil',
  '𝕊𝕖𝕞𝕒𝕣𝕚𝕫𝕖 🧪👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301\u0301\u0301',
  '\ufeff\ufffe\uffff',
  '%00%ff%c0%af',
  "'; DROP TABLE runs; --",
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  '\r\n\r\nX-Injected: 1',
  'A'.repeat(10_000),
];

const WRONG_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  [],
  {},
  [[[]]],
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
];

const PATHS = [
  '/v1/runs',
  '/v1/runs/run_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  '/v1/runs/../../etc/passwd',
  '/v1/runs/%00',
  '/v1/runs/%ZZ',
  `/v1/runs/${'x'.repeat(5_000)}`,
  '/v1/runs?limit=-1&cursor=%00&status=bogus&created_after=yesterday',
  '/v1/runs?limit=1e9&include=everything&include=output',
  '/v1/kits/schema?kit_code[]=A&kit_code[]=B',
  '/v1/webhooks',
  '/v1/webhooks/we_x/deliveries?cursor=%ff',
  '/v1/test',
  '/v1/bricks/%2e%2e',
  '//v1//runs',
  '/v1/runs/run_x/cancel',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function deepNesting(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

function brokenJson(random: () => number): string {
  const good = JSON.stringify({ kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hi.' } });
  const cut = Math.floor(random() * good.length);
  return pick(random, [
    good.slice(0, cut),
    good.replace('"', "'"),
    `${good},`,
    good.replaceAll(':', '='),
    '\u0000'.repeat(64),
    '{"a":1,"a":2,"__proto__":{"x":1}}',
    'null',
    '1',
    '"string"',
    '[1,2,3]',
    '{"input": NaN}',
    '{"input": Infinity}',
    '\ufeff{"kit_code":"A1B2C3D4"}',
  ]);
}

/** The `n`th hostile request of the sequence for `seed`. */
export function hostileRequest(random: () => number, key: string): HostileRequest {
  const auth = { authorization: `Bearer ${key}` };
  const json = { ...auth, 'content-type': 'application/json' };
  switch (Math.floor(random() * 9)) {
    case 0:
      return {
        kind: 'broken-json',
        method: 'POST',
        path: '/v1/runs',
        headers: json,
        body: brokenJson(random),
      };
    case 1: {
      const field = pick(random, ['kit_code', 'kit_version_id', 'input', 'type', 'mode', 'metadata']);
      const input: Record<string, unknown> = { transcript: 'Rep: Hi.' };
      if (random() < 0.5) input['transcript'] = pick(random, WRONG_VALUES);
      const body: Record<string, unknown> = { kit_code: 'A1B2C3D4', input };
      body[field] = pick(random, WRONG_VALUES);
      const path = pick(random, ['/v1/runs', '/v1/test', '/v1/webhooks', '/v1/kits', '/v1/bricks']);
      return { kind: 'wrong-types', method: 'POST', path, headers: json, body: JSON.stringify(body) };
    }
    case 2: {
      // Huge strings, around and above the body limit.
      const size = pick(random, [100_000, 1_000_000, 2_000_000, 3_000_000]);
      const body = JSON.stringify({
        kit_code: 'A1B2C3D4',
        type: 'sandbox',
        input: { transcript: `Rep: ${'a'.repeat(size)}` },
      });
      return { kind: 'huge-string', method: 'POST', path: '/v1/runs', headers: json, body };
    }
    case 3: {
      const depth = pick(random, [1_000, 10_000, 100_000]);
      const nested =
        random() < 0.5 ? deepNesting(depth, '[', ']') : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const body = `{"kit_code":"A1B2C3D4","type":"sandbox","input":{"transcript":"Rep: Hi.","deep":${nested}}}`;
      return { kind: 'deep-nesting', method: 'POST', path: '/v1/runs', headers: json, body };
    }
    case 4: {
      const text = Array.from({ length: 5 }, () => pick(random, ODD_STRINGS)).join(' ');
      const body = JSON.stringify({
        kit_code: pick(random, ['A1B2C3D4', text.slice(0, 20)]),
        type: 'sandbox',
        input: { transcript: `${text}: ${text}\n${text}`, [text.slice(0, 30)]: text },
      });
      const headers = { ...json, 'idempotency-key': pick(random, ['ok-key', text.slice(0, 40), 'é']) };
      return { kind: 'odd-unicode', method: 'POST', path: '/v1/runs', headers, body };
    }
    case 5: {
      const headers = pick<Record<string, string>>(random, [
        { authorization: 'Bearer' },
        { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        { authorization: `Bearer ${'k'.repeat(8_000)}` },
        { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
        { authorization: `Bearer ${key}`, 'content-type': 'application/json; charset=utf-16' },
        { ...json, prefer: 'wait=999999999999999999999' },
        { ...json, prefer: 'wait=-5, respond-async, wait=abc' },
        { ...json, 'x-request-id': 'x'.repeat(500) },
        { ...json, 'idempotency-key': 'k'.repeat(1_000) },
      ]);
      return {
        kind: 'header-abuse',
        method: 'POST',
        path: '/v1/runs',
        headers,
        body: JSON.stringify({ kit_code: 'A1B2C3D4', type: 'sandbox', input: { transcript: 'Rep: Hi.' } }),
      };
    }
    case 6: {
      // Raw HTTP: what fetch would refuse to send.
      const raw = pick(random, [
        `POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}{}{}`,
        `POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`,
        `GET /v1/runs HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`,
        `GET /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nBad Header\r\n\r\n`,
        'GARBAGE\r\n\r\n',
        `POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"kit_code":`,
      ]);
      return { kind: 'raw-http', raw };
    }
    case 7: {
      const method = pick(random, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
      return {
        kind: 'path-abuse',
        method,
        path: pick(random, PATHS),
        headers: json,
        body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
      } as HostileRequest;
    }
    default: {
      const body = JSON.stringify({
        kit_code: 'A1B2C3D4',
        type: 'sandbox',
        input: {
          transcript: Array.from({ length: 2_000 }, (_, i) => ({
            speaker: i % 2 ? 'A' : pick(random, ODD_STRINGS),
            text: pick(random, ODD_STRINGS),
          })),
          messages: pick(random, WRONG_VALUES),
        },
      });
      return { kind: 'odd-structure', method: 'POST', path: '/v1/runs', headers: json, body };
    }
  }
}

/**
 * Sends one hostile request: the status, null when the server closed the connection without one, or
 * 'unsendable' when the HTTP client itself refuses it (a header value no client may send).
 */
export async function sendHostile(
  baseUrl: string,
  request: HostileRequest,
): Promise<number | null | 'unsendable'> {
  if (request.raw !== undefined) {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve) => {
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.setTimeout(10_000, () => socket.destroy());
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        // One response is enough; a kept-alive socket would otherwise wait for the timeout.
        if (/^HTTP\/1\.1 \d{3}/.test(answer)) socket.destroy();
      });
      socket.on('close', () => {
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
        resolve(status ? Number(status) : null);
      });
      socket.on('error', () => {});
      socket.end(request.raw as string);
    });
  }
  try {
    new Headers(request.headers ?? {});
  } catch {
    return 'unsendable';
  }
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method ?? 'GET',
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}
