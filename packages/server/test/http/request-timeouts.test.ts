import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawConnection, parseResponses, trickle } from '../support/raw-connection.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** SPEC §9.4: a request delivers its headers and body within SEMARIZE_REQUEST_TIMEOUT_MS, else 408. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ config: { requestTimeoutMs: 500 } });
});
afterAll(async () => t?.close());

function expectOne408(raw: string) {
  const responses = parseResponses(raw);
  expect(responses).toHaveLength(1);
  const [response] = responses;
  expect(response!.status).toBe(408);
  expect(response!.headers['connection']).toBe('close');
  expect(response!.body).toMatchObject({ error: 'request_timeout', request_id: expect.any(String) });
  expect(response!.headers['x-request-id']).toBe(response!.body['request_id']);
  return response!;
}

describe('request timeout', () => {
  it('an authenticated body sent one byte at a time gets 408 with its request id, and the connection closes', async () => {
    const connection = await openRawConnection(t.url);
    const body = JSON.stringify({ kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hi.' } });
    connection.socket.write(
      `POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.liveKey}\r\n` +
        `X-Request-Id: trickle-body-1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    trickle(connection, body, 100);
    const response = expectOne408(await connection.closed);
    expect(response.body['request_id']).toBe('trickle-body-1');
    // Nothing was created from the half-sent request.
    const runs = await t.api<{ data: unknown[] }>('/v1/runs');
    expect(runs.body.data).toEqual([]);
  });

  it('headers sent one byte at a time, with no key, get 408 and the connection closes', async () => {
    const connection = await openRawConnection(t.url);
    trickle(connection, `GET /v1/runs HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(200)}\r\n\r\n`, 50);
    const response = expectOne408(await connection.closed);
    expect(response.body['request_id']).toMatch(/^req_/);
  });

  it('a connection that never sends a byte is closed', async () => {
    const connection = await openRawConnection(t.url);
    expectOne408(await connection.closed);
  });

  it('the second request of a kept-alive connection has the same limit', async () => {
    const connection = await openRawConnection(t.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => {
      const check = () => (connection.received().includes('\r\n\r\n') ? resolve() : setTimeout(check, 10));
      check();
    });
    trickle(connection, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 100);
    const responses = parseResponses(await connection.closed);
    expect(responses.map((r) => r.status)).toEqual([200, 408]);
  });

  it('does not cut a request that has arrived and waits for its run longer than the limit', async () => {
    const res = await t.api('/v1/runs', {
      headers: { prefer: 'wait=30' },
      body: { kit_code: 'SW000001', input: { transcript: 'Rep: Hi.', sleep_ms: 2_000 } },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
  });
});
