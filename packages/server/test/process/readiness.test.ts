/**
 * /readyz stays 503 until the first-start bootstrap of `semarize up` has created the keys and
 * Kits: a script that waits for readiness and then uses the printed key must never race it.
 * The starter Kit file is a named pipe, so the bootstrap blocks reading it until the test writes
 * it: the "still bootstrapping" moment is held open as long as the test needs, without a sleep.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, waitFor } from '../support/http-client.ts';
import { startUpCommand } from '../support/up-command.ts';

const exec = promisify(execFile);
const STARTER_KIT = join(import.meta.dirname, '../../../../kits/call-basics.yaml');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('/readyz during the first start', () => {
  it('answers 503 in the catalog shape while the bootstrap runs, and 200 only once the printed key works', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'semarize-ready-data-'));
    const kitsDir = await mkdtemp(join(tmpdir(), 'semarize-ready-kits-'));
    dirs.push(dataDir, kitsDir);
    const fifo = join(kitsDir, 'call-basics.yaml');
    await exec('mkfifo', [fifo]);

    const up = startUpCommand(dataDir, kitsDir);
    try {
      const url = await up.url;
      const anonymous = createClient(url, null);

      const starting = await anonymous('/readyz');
      expect(starting.status).toBe(503);
      expect(starting.body).toMatchObject({
        error: 'unavailable',
        request_id: expect.stringMatching(/^req_/),
      });
      expect(starting.body['message']).toContain('starting');
      expect(starting.headers.get('retry-after')).toBe('1');
      expect((await anonymous('/healthz')).status).toBe(200); // liveness is not readiness
      expect(up.stderr()).not.toContain('smz_live_');

      // Let the bootstrap read its Kit file and finish.
      const writer = createWriteStream(fifo);
      writer.end(await readFile(STARTER_KIT));
      await once(writer, 'close');

      await waitFor(async () => (await anonymous('/readyz')).status === 200, 20_000, '/readyz 200');
      // Printed before readiness turned 200; the pipe may deliver it a moment after the answer.
      const liveKey = await waitFor(
        async () => /Admin live key:\s+(smz_live_\w+)/.exec(up.stderr())?.[1],
        5_000,
        'the banner',
      );
      const kits = await createClient(url, liveKey)<{ data: { kit_code: string }[] }>('/v1/kits');
      expect(kits.status).toBe(200);
      expect(kits.body.data.map((k) => k.kit_code)).toContain('A1B2C3D4');
      // Starting is a state, not a failure: polling /readyz meanwhile logged no errors.
      expect(up.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
    } finally {
      up.child.kill('SIGKILL');
      await up.exited;
    }
  });
});
