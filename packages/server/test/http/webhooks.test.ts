import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.ts';
import { waitFor } from '../support/http-client.ts';
import { testConfig } from '../support/test-config.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { handCheck, standardCheck } from '../support/webhook-checks.ts';
import { type ReceivedDelivery, WebhookReceiver } from '../support/webhook-receiver.ts';

type Json = Record<string, unknown>;
type Delivery = Json & { attempt_log: Json[] };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works. Our budget is set.';

/** The server's clock: real time plus an offset the tests move forward instead of waiting. */
const clock = { offset: 0, now: () => Date.now() + clock.offset };

let t: TestServer;
let receiver: WebhookReceiver;
const endpoints: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ config: { allowPrivateWebhooks: true }, clock, webhookTimeoutMs: 500 });
});
afterAll(async () => t?.close());
afterEach(async () => {
  // Endpoints are workspace-wide: remove each test's, so later runs do not fan out to them.
  for (const id of endpoints.splice(0)) await t.api(`/v1/webhooks/${id}`, { method: 'DELETE' });
  await receiver?.close();
});

async function createEndpoint(body: Json = {}): Promise<{ id: string; secret: string; body: Json }> {
  receiver = await WebhookReceiver.start();
  const res = await t.api('/v1/webhooks', { body: { url: receiver.url, ...body } });
  expect(res.status).toBe(201);
  endpoints.push(res.body['id'] as string);
  return { id: res.body['id'] as string, secret: res.body['secret'] as string, body: res.body };
}

async function finishedRun(kitCode = 'A1B2C3D4', key?: string, type = 'api'): Promise<Json> {
  const res = await t.api('/v1/runs', {
    body: { kit_code: kitCode, mode: 'sync', type, input: { transcript: TRANSCRIPT } },
    ...(key ? { key } : {}),
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** The one event for a run, as the receiver got it. */
function deliveriesForRun(runId: string): ReceivedDelivery[] {
  return receiver.received.filter((d) => (JSON.parse(d.body) as { data: Json }).data['run_id'] === runId);
}

async function deliveryLog(endpointId: string): Promise<Delivery[]> {
  const res = await t.api<{ data: Delivery[] }>(`/v1/webhooks/${endpointId}/deliveries?limit=100`);
  expect(res.status).toBe(200);
  return res.body.data;
}

async function waitForDelivery(endpointId: string, check: (d: Delivery) => boolean, what: string) {
  return waitFor(async () => (await deliveryLog(endpointId)).find(check), 15_000, what);
}

/** Moves the server's clock forward and tells the dispatcher to look for due deliveries. */
function advance(ms: number): void {
  clock.offset += ms;
  t.server.dispatcher!.poke();
}

function verifiesWith(d: ReceivedDelivery, secret: string): { semarize: boolean; standard: boolean } {
  return {
    semarize: handCheck(String(d.headers['semarize-signature']), secret, d.body),
    standard: standardCheck(d.body, d.headers, secret),
  };
}

describe('webhook delivery', () => {
  it('a finished run is delivered once, signed; independent code verifies both signature schemes', async () => {
    const { id, secret, body } = await createEndpoint({ description: 'CRM sync' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(body).toMatchObject({
      object: 'webhook_endpoint',
      url: receiver.url,
      payload: 'full',
      enabled: true,
    });
    expect(body['events']).toEqual(['run.succeeded', 'run.failed', 'run.cancelled']);

    const run = await finishedRun();
    const [delivery] = await waitFor(async () => {
      const got = deliveriesForRun(run['run_id'] as string);
      return got.length > 0 ? got : null;
    });
    const headers = delivery!.headers;
    const event = JSON.parse(delivery!.body) as Json & { data: Json };
    expect(event).toMatchObject({ object: 'event', type: 'run.succeeded' });
    expect(event['id']).toMatch(/^evt_/);
    expect(headers['semarize-event-id']).toBe(event['id']);
    expect(headers['semarize-delivery-id']).toMatch(/^dlv_/);
    expect(headers['webhook-id']).toBe(headers['semarize-delivery-id']);
    expect(headers['semarize-timestamp']).toBe(headers['webhook-timestamp']);
    expect(headers['content-type']).toBe('application/json');
    expect(event.data).toMatchObject({ run_id: run['run_id'], status: 'succeeded' });
    expect(event.data['output']).toEqual(run['output']);

    expect(verifiesWith(delivery!, secret)).toEqual({ semarize: true, standard: true });
    const tampered = { ...delivery!, body: delivery!.body.replace('succeeded', 'failed') };
    expect(verifiesWith(tampered, secret)).toEqual({ semarize: false, standard: false });

    const [logged] = await waitForDelivery(
      id,
      (d) => d['status'] === 'succeeded',
      'the delivery to be recorded',
    ).then((d) => [d]);
    expect(logged).toMatchObject({
      id: headers['semarize-delivery-id'],
      event_id: event['id'],
      event_type: 'run.succeeded',
      run_id: run['run_id'],
      attempts: 1,
      last_status_code: 200,
      next_attempt_at: null,
    });
    expect(logged!.attempt_log).toEqual([
      expect.objectContaining({ attempt: 1, status_code: 200, response_snippet: 'ok', error: null }),
    ]);
    // One event per transition: nothing else arrives for this run.
    expect(deliveriesForRun(run['run_id'] as string)).toHaveLength(1);
    // The secret is shown once.
    const shown = await t.api(`/v1/webhooks/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.text).not.toContain(secret);
    expect((await t.api('/v1/webhooks')).text).not.toContain(secret);
  });

  it('a receiver refusing, answering 500 and hanging past the timeout gets the event when it recovers, same ids each time', async () => {
    const { id, secret } = await createEndpoint();
    await receiver.refuse();
    const run = await finishedRun();
    const attempts = (n: number) => (d: Delivery) => d['run_id'] === run['run_id'] && d['attempts'] === n;

    const first = await waitForDelivery(id, attempts(1), 'a refused first attempt');
    expect(first['status']).toBe('pending');
    expect(first['last_error']).toMatch(/ECONNREFUSED/);

    await receiver.resume();
    receiver.mode = { status: 500 };
    advance(15_000); // past the first back-off (10 s ± 20 %)
    const second = await waitForDelivery(id, attempts(2), 'a second attempt answered 500');
    expect(second['last_status_code']).toBe(500);

    receiver.mode = 'hang';
    advance(75_000); // past 1 min ± 20 %
    const third = await waitForDelivery(id, attempts(3), 'a third attempt that times out');
    expect(third['last_error']).toMatch(/no response within/);

    receiver.mode = { status: 204 };
    advance(6 * 60_000); // past 5 min ± 20 %
    const done = await waitForDelivery(id, (d) => attempts(4)(d) && d['status'] === 'succeeded', 'success');
    expect(done.attempt_log.map((a) => a['status_code'])).toEqual([null, 500, null, 204]);
    expect(done.attempt_log[2]!['error']).toMatch(/no response within 500 ms/);
    expect(done.attempt_log[1]!['response_snippet']).toBe('receiver says 500');

    const got = deliveriesForRun(run['run_id'] as string);
    expect(got.map((d) => d.answered)).toEqual([500, null, 204]);
    expect(new Set(got.map((d) => d.headers['semarize-event-id'])).size).toBe(1);
    expect(new Set(got.map((d) => d.headers['semarize-delivery-id']))).toEqual(new Set([done['id']]));
    for (const d of got) expect(verifiesWith(d, secret)).toEqual({ semarize: true, standard: true });
    // Each attempt is signed at its own time.
    expect(new Set(got.map((d) => d.headers['webhook-timestamp'])).size).toBe(3);
  });

  it('410 Gone disables the endpoint at once; re-enabling it sends what is still pending', async () => {
    const { id } = await createEndpoint();
    receiver.mode = { status: 410 };
    const run = await finishedRun();
    const failed = await waitForDelivery(
      id,
      (d) => d['run_id'] === run['run_id'] && d['status'] === 'failed',
      '410',
    );
    expect(failed['attempts']).toBe(1);
    const endpoint = (await t.api(`/v1/webhooks/${id}`)).body;
    expect(endpoint).toMatchObject({ enabled: false, disabled_reason: 'gone' });

    const ping = await t.api(`/v1/webhooks/${id}/test`, { method: 'POST' });
    expect(ping.status).toBe(409);
    expect(ping.body['error']).toBe('webhook_endpoint_disabled');
    const redeliver = await t.api(`/v1/webhook-deliveries/${failed['id']}/redeliver`, { method: 'POST' });
    expect(redeliver.status).toBe(409);

    // Runs finishing while it is disabled are not queued for it.
    const meanwhile = await finishedRun();
    receiver.mode = { status: 200 };
    const enabled = await t.api(`/v1/webhooks/${id}`, { method: 'PATCH', body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
    const again = await t.api(`/v1/webhook-deliveries/${failed['id']}/redeliver`, { method: 'POST' });
    expect(again.status).toBe(202);
    await waitForDelivery(
      id,
      (d) => d['id'] === failed['id'] && d['status'] === 'succeeded',
      'the redelivery',
    );
    expect(deliveriesForRun(meanwhile['run_id'] as string)).toEqual([]);
  });

  it('retries stop after three days; five days of failures disable the endpoint', async () => {
    const { id } = await createEndpoint();
    receiver.mode = { status: 503 };
    const run = await finishedRun();
    const ofRun = (d: Delivery) => d['run_id'] === run['run_id'];
    await waitForDelivery(id, (d) => ofRun(d) && d['attempts'] === 1, 'a first failure');
    // Step through the schedule a day at a time: each step makes the pending attempt due.
    for (let day = 1; day <= 3; day++) {
      const before = (await deliveryLog(id)).find(ofRun)!['attempts'] as number;
      advance(DAY);
      await waitForDelivery(
        id,
        (d) => ofRun(d) && (d['attempts'] as number) > before,
        `an attempt on day ${day}`,
      );
    }
    advance(2 * HOUR); // past the three-day horizon: the last attempt gives up
    const given = await waitForDelivery(id, (d) => ofRun(d) && d['status'] === 'failed', 'retries to stop');
    expect(given['next_attempt_at']).toBeNull();
    expect((await t.api(`/v1/webhooks/${id}`)).body).toMatchObject({ enabled: true, disabled_reason: null });

    // A later event keeps failing; once the endpoint has failed for five days it is disabled.
    const later = await finishedRun();
    await waitForDelivery(id, (d) => d['run_id'] === later['run_id'] && d['attempts'] === 1, 'a new failure');
    advance(2 * DAY);
    await waitFor(
      async () => {
        const endpoint = (await t.api(`/v1/webhooks/${id}`)).body;
        return endpoint['disabled_reason'] === 'failing' ? endpoint : null;
      },
      15_000,
      'the endpoint to be disabled',
    );
    expect((await t.api(`/v1/webhooks/${id}`)).body['enabled']).toBe(false);
  });

  it('during a rotation both signatures are sent and each verifies with its secret; after 24 h only the new one', async () => {
    const { id, secret: oldSecret } = await createEndpoint();
    const rotated = await t.api(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body['secret'] as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const overlapEnds = Date.parse(rotated.body['previous_secret_expires_at'] as string);
    expect(overlapEnds - clock.now()).toBeGreaterThan(23 * HOUR);

    const run = await finishedRun();
    const [during] = await waitFor(async () => {
      const got = deliveriesForRun(run['run_id'] as string);
      return got.length > 0 ? got : null;
    });
    expect(String(during!.headers['semarize-signature']).match(/v1=/g)).toHaveLength(2);
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiesWith(during!, oldSecret)).toEqual({ semarize: true, standard: true });
    expect(verifiesWith(during!, newSecret)).toEqual({ semarize: true, standard: true });

    advance(DAY + 60_000);
    const after = await finishedRun();
    const [late] = await waitFor(async () => {
      const got = deliveriesForRun(after['run_id'] as string);
      return got.length > 0 ? got : null;
    });
    expect(String(late!.headers['semarize-signature']).match(/v1=/g)).toHaveLength(1);
    expect(verifiesWith(late!, newSecret)).toEqual({ semarize: true, standard: true });
    expect(verifiesWith(late!, oldSecret)).toEqual({ semarize: false, standard: false });
  });

  it('thin endpoints get the run without its output; the event filter chooses what is sent', async () => {
    const thin = await createEndpoint({ payload: 'thin', events: ['run.failed'] });
    const thinReceiver = receiver;
    const full = await createEndpoint();
    const ok = await finishedRun();
    const failed = await finishedRun('FA000001');
    expect(failed['status']).toBe('failed');

    await waitFor(
      async () => (receiver.received.length >= 2 ? true : null),
      15_000,
      'both events at the full endpoint',
    );
    const fullTypes = receiver.received.map((d) => (JSON.parse(d.body) as Json)['type']).sort();
    expect(fullTypes).toEqual(['run.failed', 'run.succeeded']);
    const okEvent = JSON.parse(deliveriesForRun(ok['run_id'] as string)[0]!.body) as { data: Json };
    expect(okEvent.data['output']).toEqual(ok['output']);

    const [thinDelivery] = await waitFor(async () =>
      thinReceiver.received.length > 0 ? thinReceiver.received : null,
    );
    const thinEvent = JSON.parse(thinDelivery!.body) as { type: string; data: Json };
    expect(thinEvent.type).toBe('run.failed');
    expect(thinEvent.data['run_id']).toBe(failed['run_id']);
    expect(thinEvent.data).not.toHaveProperty('output');
    expect(thinEvent.data['error_code']).toBe(failed['error_code']);
    expect(
      handCheck(String(thinDelivery!.headers['semarize-signature']), thin.secret, thinDelivery!.body),
    ).toBe(true);
    // The succeeded run never reached the thin endpoint, whose filter is run.failed only.
    await waitForDelivery(
      full.id,
      (d) => d['run_id'] === ok['run_id'] && d['status'] === 'succeeded',
      'full',
    );
    expect(thinReceiver.received).toHaveLength(1);
    expect((await deliveryLog(thin.id)).map((d) => d['event_type'])).toEqual(['run.failed']);
    await thinReceiver.close();
  });

  it('a cancelled run sends run.cancelled', async () => {
    await createEndpoint({ events: ['run.cancelled'] });
    const created = await t.api('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 60_000 } },
    });
    const runId = created.body['run_id'] as string;
    expect((await t.api(`/v1/runs/${runId}/cancel`, { method: 'POST' })).status).toBe(200);
    const [delivery] = await waitFor(async () => {
      const got = deliveriesForRun(runId);
      return got.length > 0 ? got : null;
    });
    expect((JSON.parse(delivery!.body) as Json)['type']).toBe('run.cancelled');
  });

  it('a test ping is signed and logged; manual redeliver sends the same event and delivery again', async () => {
    const { id, secret } = await createEndpoint();
    const ping = await t.api(`/v1/webhooks/${id}/test`, { method: 'POST' });
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ object: 'webhook_delivery', event_type: 'ping', webhook_id: id });
    const [received] = await waitFor(async () => (receiver.received.length > 0 ? receiver.received : null));
    const event = JSON.parse(received!.body) as Json & { data: Json };
    expect(event).toMatchObject({ object: 'event', type: 'ping', data: { webhook_id: id } });
    expect(verifiesWith(received!, secret)).toEqual({ semarize: true, standard: true });
    await waitForDelivery(id, (d) => d['id'] === ping.body['id'] && d['status'] === 'succeeded', 'the ping');

    const again = await t.api(`/v1/webhook-deliveries/${ping.body['id']}/redeliver`, { method: 'POST' });
    expect(again.status).toBe(202);
    await waitFor(async () => (receiver.received.length === 2 ? true : null), 15_000, 'the redelivery');
    expect(receiver.received[1]!.headers['semarize-event-id']).toBe(received!.headers['semarize-event-id']);
    expect(receiver.received[1]!.headers['semarize-delivery-id']).toBe(ping.body['id']);
    const logged = await waitForDelivery(
      id,
      (d) => d['attempts'] === 2 && d['status'] === 'succeeded',
      'logged',
    );
    expect(logged.attempt_log.map((a) => a['attempt'])).toEqual([1, 2]);
  });

  it('the deliveries log pages newest first', async () => {
    const { id } = await createEndpoint();
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await t.api(`/v1/webhooks/${id}/test`, { method: 'POST' })).body['id'] as string);
      clock.offset += 1; // distinct creation times
    }
    const first = await t.api<{ data: Json[]; has_more: boolean; next_cursor: string }>(
      `/v1/webhooks/${id}/deliveries?limit=2`,
    );
    expect(first.body.data.map((d) => d['id'])).toEqual([sent[2], sent[1]]);
    expect(first.body.has_more).toBe(true);
    const second = await t.api<{ data: Json[]; has_more: boolean; next_cursor: string | null }>(
      `/v1/webhooks/${id}/deliveries?limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.data.map((d) => d['id'])).toEqual([sent[0]]);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
  });
});

describe('webhook endpoint management', () => {
  it('updates, filters and deletes an endpoint; a deleted one is gone', async () => {
    const { id } = await createEndpoint();
    const patched = await t.api(`/v1/webhooks/${id}`, {
      method: 'PATCH',
      body: { events: ['run.failed'], payload: 'thin', description: 'failures only' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      events: ['run.failed'],
      payload: 'thin',
      description: 'failures only',
    });
    const listed = await t.api<{ data: Json[] }>('/v1/webhooks');
    expect(listed.body.data.map((e) => e['id'])).toContain(id);

    expect((await t.api(`/v1/webhooks/${id}`, { method: 'DELETE' })).body).toMatchObject({
      id,
      deleted: true,
    });
    expect((await t.api(`/v1/webhooks/${id}`)).status).toBe(404);
    const again = await t.api(`/v1/webhooks/${id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.body['error']).toBe('webhook_not_found');
  });

  it('refuses bad fields, other workspaces and runner keys, changing nothing', async () => {
    const { id } = await createEndpoint();
    const cases: [Json, string][] = [
      [{ url: receiver.url, events: ['run.started'] }, 'events[0]'],
      [{ url: receiver.url, events: [] }, 'events'],
      [{ url: receiver.url, payload: 'huge' }, 'payload'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://example.com/hook' }, 'url'],
      [{ url: 'https://user:pw@example.com/hook' }, 'url'],
      [{ url: receiver.url, secret: 'whsec_mine' }, '(root)'],
      [{}, 'url'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api<{ error: string; detail: { fields: { field: string }[] } }>('/v1/webhooks', {
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.detail.fields.map((f) => f.field)).toContain(field);
    }
    const patch = await t.api(`/v1/webhooks/${id}`, { method: 'PATCH', body: { enabled: 'yes' } });
    expect(patch.status).toBe(400);

    for (const [path, method] of [
      [`/v1/webhooks/${id}`, 'GET'],
      [`/v1/webhooks/${id}`, 'DELETE'],
      [`/v1/webhooks/${id}/rotate-secret`, 'POST'],
      [`/v1/webhooks/${id}/deliveries`, 'GET'],
    ] as const) {
      const res = await t.api(path, { method, key: t.otherWorkspaceKey });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body['error']).toBe('webhook_not_found');
    }
    const unknown = await t.api('/v1/webhook-deliveries/dlv_nope/redeliver', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.body['error']).toBe('delivery_not_found');

    const runner = await t.api('/v1/webhooks', { key: t.runnerKey });
    expect(runner.status).toBe(403);
    expect(runner.body['error']).toBe('forbidden');
    const created = await t.api('/v1/webhooks', { key: t.runnerKey, body: { url: receiver.url } });
    expect(created.status).toBe(403);

    const endpoint = (await t.api(`/v1/webhooks/${id}`)).body;
    expect(endpoint).toMatchObject({
      enabled: true,
      events: ['run.succeeded', 'run.failed', 'run.cancelled'],
    });
    expect((await t.api<{ data: Json[] }>('/v1/webhooks')).body.data).toHaveLength(1);
  });
});

describe('webhook URL guard (without the development flag)', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer();
  });
  afterAll(async () => strict?.close());

  it.each([
    'https://127.0.0.1/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://localhost/hook',
    'https://[::ffff:127.0.0.1]/hook',
    // IPv6 forms embedding IPv4, and site-local (SPEC §9.5)
    'https://[::127.0.0.1]/hook',
    'https://[::a9fe:a9fe]/hook',
    'https://[::ffff:0:7f00:1]/hook',
    'https://[fec0::1]/hook',
    'https://[2002:7f00:1::]/hook',
    'https://[2002:a9fe:a9fe::]/hook',
    'https://[64:ff9b:1::a9fe:a9fe]/hook',
    'https://[2001::5efe:7f00:1]/hook',
    'http://example.com/hook',
  ])('refuses %s', async (url) => {
    const res = await strict.api<{ error: string; detail: { fields: { field: string; message: string }[] } }>(
      '/v1/webhooks',
      { body: { url } },
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.detail.fields[0]!.field).toBe('url');
    expect((await strict.api<{ data: Json[] }>('/v1/webhooks')).body.data).toEqual([]);
  });

  it('refuses a PATCH to a private address, keeping the old URL', async () => {
    // A public literal address passes the creation check without any DNS.
    const created = await strict.api('/v1/webhooks', { body: { url: 'https://93.184.215.14/hook' } });
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    const patched = await strict.api(`/v1/webhooks/${id}`, {
      method: 'PATCH',
      body: { url: 'https://10.1.2.3/' },
    });
    expect(patched.status).toBe(400);
    expect((await strict.api(`/v1/webhooks/${id}`)).body['url']).toBe('https://93.184.215.14/hook');
    await strict.api(`/v1/webhooks/${id}`, { method: 'DELETE' });
  });
});

describe('the development flag', () => {
  it('logs a warning at start while private webhook targets are allowed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'semarize-private-hooks-'));
    const logs = new PassThrough();
    let logged = '';
    logs.on('data', (chunk: Buffer) => {
      logged += chunk.toString();
    });
    const server = await startServer({
      config: testConfig(dataDir, { allowPrivateWebhooks: true, logLevel: 'warn' }),
      roles: { http: false, executor: true },
      logStream: logs,
    });
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    const warning = logged
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((line) => line.msg.includes('SEMARIZE_ALLOW_PRIVATE_WEBHOOKS'));
    expect(warning?.level).toBe(40);
  });
});
