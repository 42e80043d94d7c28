import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import {
  ConflictError,
  ConnectionError,
  IdempotencyConflictError,
  NotFoundError,
  RequestTimeoutError,
  Semarize,
} from '../src/index.ts';
import { type Fault, recordingFetch, type SentRequest } from './support/recording-fetch.ts';
import { virtualClock } from './support/virtual-clock.ts';

const BODY = { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Ready?\nProspect: Ready.' } };

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

/** A client whose first `failures` exchanges are answered by the server but lost on the way back. */
function flakyClient(fault: Fault, failures = 1) {
  const recorder = recordingFetch((_request, index) => (index < failures ? fault : 'pass'));
  const clock = virtualClock();
  const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch, clock });
  return { client, recorder, clock };
}

async function runIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
  for await (const run of client.runs.list({ limit: 100 })) ids.add(run.run_id);
  return ids;
}

const keysOf = (sent: SentRequest[]) => sent.map((r) => r.headers.get('idempotency-key'));

describe('retries reuse the idempotency key, so a retried create never makes a second run', () => {
  it('a response lost after the server created the run: the retry gets the same run back', async () => {
    const before = await runIds();
    const { client, recorder, clock } = flakyClient('drop-response');
    const run = await client.runs.create(BODY);

    expect(recorder.sent).toHaveLength(2);
    const [first, second] = keysOf(recorder.sent);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(clock.sleeps).toHaveLength(1);
    const after = await runIds();
    expect([...after].filter((id) => !before.has(id))).toEqual([run.run_id]);
  });

  it('a proxy 502 after the server accepted: retried, one run; the same holds for createAndWait', async () => {
    const before = await runIds();
    const { client, recorder } = flakyClient({ proxyStatus: 502 }, 2);
    const run = await client.runs.createAndWait(BODY);
    expect(run.status).toBe('succeeded');
    expect(recorder.sent).toHaveLength(3);
    expect(new Set(keysOf(recorder.sent)).size).toBe(1);
    const after = await runIds();
    expect([...after].filter((id) => !before.has(id))).toEqual([run.run_id]);
  });

  it('a key given by the caller replays the run; reused with another input it is an IdempotencyConflictError', async () => {
    const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
    const idempotencyKey = `order-${Date.now()}`;
    const first = await client.runs.create(BODY, { idempotencyKey });
    const again = await client.runs.create(BODY, { idempotencyKey });
    expect(again.run_id).toBe(first.run_id);

    const error = await client.runs
      .create({ ...BODY, input: { transcript: 'Rep: Something else.' } }, { idempotencyKey })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyConflictError);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      code: 'idempotency_key_conflict',
      detail: { fields: ['input'], run_id: first.run_id },
    });
  });

  it('separate creates get separate keys', async () => {
    const { client, recorder } = flakyClient('pass', 0);
    await client.runs.create(BODY);
    await client.runs.create(BODY);
    const [a, b] = keysOf(recorder.sent);
    expect(a).not.toBe(b);
  });
});

describe('what is retried and what is not', () => {
  it('connection errors are retried with growing backoff, then thrown as ConnectionError', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const recorder = recordingFetch();
    const clock = virtualClock();
    const client = new Semarize({
      apiKey: t.liveKey,
      baseUrl: `http://127.0.0.1:${closedPort}`,
      fetch: recorder.fetch,
      clock,
      maxRetries: 3,
    });
    await expect(client.runs.listPage()).rejects.toBeInstanceOf(ConnectionError);
    expect(recorder.sent).toHaveLength(4);
    expect(clock.sleeps).toHaveLength(3);
    // Equal jitter: each step is between half and all of 0.5 s, 1 s, 2 s.
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(250 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(500 * 2 ** i);
    });
  });

  it('4xx answers are not retried', async () => {
    const { client, recorder } = flakyClient('pass', 0);
    await expect(client.runs.get('run_00000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
    expect(recorder.sent).toHaveLength(1);
  });

  it('a request that gets no answer within its timeout is a RequestTimeoutError, retried like a lost connection', async () => {
    // A peer that accepts connections and never answers, as a hung proxy would.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const clock = virtualClock();
    const client = new Semarize({
      apiKey: t.liveKey,
      baseUrl: `http://127.0.0.1:${port}`,
      requestTimeoutMs: 200,
      maxRetries: 1,
      clock,
    });
    try {
      await expect(client.runs.listPage()).rejects.toBeInstanceOf(RequestTimeoutError);
      expect(clock.sleeps).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
