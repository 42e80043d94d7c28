import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { openRawConnection, parseResponses } from '../support/raw-connection.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** SPEC §9.4 (close instead of draining) and §9.5 (every error in the catalog's shape). */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

const RUN = JSON.stringify({ kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hi?\nProspect: Yes.' } });

/** Sends raw bytes on a fresh connection; resolves with the responses once that many have arrived. */
async function exchange(request: string, answers = 1) {
  const connection = await openRawConnection(t.url);
  let closed = false;
  void connection.closed.then(() => {
    closed = true;
  });
  connection.socket.write(request);
  await waitFor(async () => closed || completeResponses(connection.received()) >= answers, 10_000, 'answers');
  connection.socket.destroy();
  return parseResponses(connection.received());
}

function completeResponses(raw: string): number {
  try {
    return parseResponses(raw).length;
  } catch {
    return 0; // a response still arriving
  }
}

function expectCatalogError(
  response: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ error: code, message: expect.any(String) });
  expect(Object.keys(response.body)[0]).toBe('error');
  expect(response.body['request_id']).toEqual(expect.any(String));
  expect(response.headers['x-request-id']).toBe(response.body['request_id']);
}

describe('an error answered before the body was read closes the connection', () => {
  const auth = () => `Authorization: Bearer ${t.liveKey}\r\n`;
  for (const [name, headers, length, status, code] of [
    ['401 without a key', () => 'Content-Type: application/json\r\n', 1_000_000, 401, 'missing_bearer_token'],
    [
      '413 over the body limit',
      () => `${auth()}Content-Type: application/json\r\n`,
      100_000_000,
      413,
      'payload_too_large',
    ],
    [
      '415 for a non-JSON body',
      () => `${auth()}Content-Type: text/plain\r\n`,
      1_000_000,
      415,
      'unsupported_media_type',
    ],
  ] as const) {
    it(`${name}: the answer, then the server closes without waiting for the announced body`, async () => {
      const connection = await openRawConnection(t.url);
      connection.socket.write(
        `POST /v1/runs HTTP/1.1\r\nHost: x\r\n${headers()}Content-Length: ${length}\r\n\r\n`,
      );
      const responses = parseResponses(await connection.closed);
      expect(responses).toHaveLength(1);
      expectCatalogError(responses[0]!, status, code);
      expect(responses[0]!.headers['connection']).toBe('close');
    });
  }

  it('an error after a body that fully arrived keeps the connection open for the next request', async () => {
    const request = `POST /v1/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${RUN.length}\r\n\r\n${RUN}`;
    const responses = await exchange(`${request}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`, 2);
    expect(responses.map((r) => r.status)).toEqual([401, 200]);
    expect(responses[0]!.headers['connection']).not.toBe('close');
  });
});

describe('framework errors answer in the catalog shape', () => {
  const get = (path: string, extra = '') =>
    `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.liveKey}\r\n${extra}\r\n`;

  it('400 invalid_request for bad percent-encoding in the path', async () => {
    const [response] = await exchange(get('/v1/runs/%E0'));
    expectCatalogError(response!, 400, 'invalid_request');
  });

  it('414 url_too_long for a path parameter over the limit, without echoing it', async () => {
    const [response] = await exchange(get(`/v1/runs/${'a'.repeat(15_000)}`));
    expectCatalogError(response!, 414, 'url_too_long');
    expect(JSON.stringify(response!.body).length).toBeLessThan(500);
  });

  it('414 url_too_long for a long URL, whether or not it still fits the header limit', async () => {
    for (const length of [9_000, 20_000]) {
      const [response] = await exchange(get(`/v1/runs?cursor=${'c'.repeat(length)}`));
      expectCatalogError(response!, 414, 'url_too_long');
    }
  });

  it('431 headers_too_large for too many headers or too large ones', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const [tooMany] = await exchange(get('/v1/runs', many));
    expectCatalogError(tooMany!, 431, 'headers_too_large');
    expect(tooMany!.headers['connection']).toBe('close');
    const [tooLarge] = await exchange(get('/v1/runs', `X-Big: ${'b'.repeat(20_000)}\r\n`));
    expectCatalogError(tooLarge!, 431, 'headers_too_large');
    // Many small headers within the size limit are still too many.
    const small = (count: number) => Array.from({ length: count }, (_, i) => `a${i}:1\r\n`).join('');
    const [tooManySmall] = await exchange(get('/v1/runs', small(300)));
    expectCatalogError(tooManySmall!, 431, 'headers_too_large');
    const [enough] = await exchange(get('/v1/runs', small(150)));
    expect(enough!.status).toBe(200);
  });

  it('404 for an unknown long path names only its start', async () => {
    const [response] = await exchange(get(`/v1/${'n'.repeat(5_000)}`));
    expectCatalogError(response!, 404, 'not_found');
    expect((response!.body['message'] as string).length).toBeLessThan(300);
  });
});

describe('headers that must come once', () => {
  const post = (headers: string) =>
    `POST /v1/runs HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: ${RUN.length}\r\n\r\n${RUN}`;

  it('two Authorization headers: 400 invalid_request, even when the first key is valid', async () => {
    const [response] = await exchange(
      post(
        `Authorization: Bearer ${t.liveKey}\r\nAuthorization: Bearer ${t.runnerKey}\r\nContent-Type: application/json\r\n`,
      ),
    );
    expectCatalogError(response!, 400, 'invalid_request');
    expect(response!.body['detail']).toEqual({ reason: 'repeated_header', header: 'Authorization' });
  });

  it('two Idempotency-Key headers: 400 invalid_idempotency_key, and no run is made', async () => {
    const auth = `Authorization: Bearer ${t.liveKey}\r\nContent-Type: application/json\r\n`;
    const [response] = await exchange(post(`${auth}Idempotency-Key: a\r\nIdempotency-Key: b\r\n`));
    expectCatalogError(response!, 400, 'invalid_idempotency_key');
    // The joined form Node would have made of them is a key of its own, still unused.
    const joined = await t.api('/v1/runs', { body: JSON.parse(RUN), headers: { 'idempotency-key': 'a, b' } });
    expect(joined.status).toBe(202);
    expect(joined.headers.get('idempotent-replayed')).toBeNull();
    const [dryRun] = await exchange(
      post(`${auth}Idempotency-Key: a\r\nIdempotency-Key: b\r\n`).replace('/v1/runs', '/v1/test'),
    );
    expectCatalogError(dryRun!, 400, 'invalid_idempotency_key');
  });

  it('two Content-Type headers: 400 invalid_request', async () => {
    const [response] = await exchange(
      post(
        `Authorization: Bearer ${t.liveKey}\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\n`,
      ),
    );
    expectCatalogError(response!, 400, 'invalid_request');
    expect(response!.body['detail']).toEqual({ reason: 'repeated_header', header: 'Content-Type' });
  });
});
