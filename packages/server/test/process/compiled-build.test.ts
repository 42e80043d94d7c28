/**
 * The compiled server (scripts/build.ts), which `npm start` and the image run: a compiled copy holds
 * no TypeScript file, and it starts, judges a run on its engine thread (the tracker's patterns on the
 * scan thread), serves the console's assets and the reference page. Its main thread runs with type
 * stripping switched off; its worker threads (started with no flags) would find no `.ts` to load.
 * Which build bin/semarize.js picks is test/unit/sources-stamp.test.ts.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerCopy } from '../../scripts/build.ts';
import { waitFor } from '../support/http-client.ts';
import { startUpCommand, type UpCommand } from '../support/up-command.ts';

const KITS_DIR = join(import.meta.dirname, '../../../../kits');
let dir: string;
let build: string;
let up: UpCommand;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'semarize-compiled-'));
  build = buildServerCopy(`test-${process.pid}`);
  up = startUpCommand(join(dir, 'data'), KITS_DIR, {
    entry: join(build, 'src/cli/main.js'),
    nodeFlags: ['--no-experimental-strip-types'],
  });
}, 60_000);
afterAll(async () => {
  up?.child.kill('SIGTERM');
  await up?.exited;
  if (dir) await rm(dir, { recursive: true, force: true });
  if (build) await rm(build, { recursive: true, force: true });
});

describe('the compiled server', () => {
  it('holds no TypeScript, and runs without type stripping: a sync run, the console, /docs', async () => {
    const files = readdirSync(build, { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files).toContain('src/store/migrations/sqlite/0001_initial.sql');
    const base = await up.url;
    const key = await waitFor(
      async () => /Admin live key:\s+(smz_live_\w+)/.exec(up.stderr())?.[1],
      30_000,
      'the first-start banner',
    );
    const created = await fetch(`${base}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        // Large enough to be evaluated on an engine thread rather than inline.
        input: {
          transcript: 'Rep: What drove the urgency?\nProspect: We lose hours on notes.\n'.repeat(400),
        },
      }),
    });
    const run = (await created.json()) as { status: string; output: Record<string, unknown> };
    expect(created.status).toBe(200);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(Object.keys(run.output).length).toBeGreaterThan(0);

    // The console's page and assets are copied beside the compiled code.
    const page = await fetch(`${base}/console`);
    expect(page.status).toBe(200);
    const script = /src="\/console\/assets\/([\w./-]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${base}/console/assets/${script}`)).status).toBe(200);
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('redoc');
    expect(up.stderr()).not.toMatch(/ERR_|TypeScript|strip/i);
  });
});
