import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const README = join(import.meta.dirname, '../../../../README.md');
let t: TestServer | undefined;
let child: ChildProcess | undefined;
let dir: string | undefined;
afterAll(async () => {
  child?.kill();
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The README's webhook receiver, run exactly as printed, against real deliveries. */
describe('README webhook receiver', () => {
  it('accepts a real signed delivery and refuses a forged one', async () => {
    const readme = await readFile(README, 'utf8');
    const code = /A receiver in plain Node[^\n]*\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code, 'the receiver example in README.md').toBeTruthy();
    dir = await mkdtemp(join(tmpdir(), 'semarize-receiver-'));
    const file = join(dir, 'receiver.mjs');
    await writeFile(file, code!);

    t = await startTestServer({ config: { allowPrivateWebhooks: true } });
    const port = await freePort();
    const created = await t.api('/v1/webhooks', { body: { url: `http://127.0.0.1:${port}/` } });
    expect(created.status).toBe(201);
    let stdout = '';
    child = spawn(process.execPath, [file], {
      env: { ...process.env, PORT: String(port), SEMARIZE_WEBHOOK_SECRET: created.body['secret'] as string },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await waitFor(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })).status === 400;
      } catch {
        return false;
      }
    });

    const run = await t.api('/v1/runs', {
      body: {
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        input: { transcript: 'Rep: Demo Tuesday?\nProspect: Yes.' },
      },
    });
    expect(run.status).toBe(200);
    await waitFor(
      async () => stdout.includes(`run.succeeded ${run.body['run_id']}`),
      15_000,
      'the receiver log',
    );
    const log = await t.api<{ data: Record<string, unknown>[] }>(
      `/v1/webhooks/${created.body['id']}/deliveries`,
    );
    expect(log.body.data[0]).toMatchObject({ status: 'succeeded', last_status_code: 204 });

    const forged = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'semarize-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: JSON.stringify({ id: 'evt_forged', type: 'run.succeeded', data: { run_id: 'run_forged' } }),
    });
    expect(forged.status).toBe(400);
    expect(stdout).not.toContain('run_forged');
  });
});
