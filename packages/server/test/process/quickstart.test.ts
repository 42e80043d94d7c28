import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../../..');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The README quickstart, as written: `npm start`, then curl with the key it printed. */
describe('README quickstart', () => {
  it('npm start on an empty data dir prints the keys once; the curl lines create and fetch a run', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'semarize-quickstart-'));
    dirs.push(dataDir);
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: '',
        SEMARIZE_DATA_DIR: dataDir,
        PORT: '0',
        SEMARIZE_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${stderr}`)), 30_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Try it:')) {
          clearTimeout(timer);
          resolve(stderr);
        }
      });
    });
    try {
      const liveKey = /Admin live key:\s+(smz_live_[0-9A-Za-z]{32})/.exec(banner)![1]!;
      expect(banner).toMatch(/Test key:\s+smz_test_[0-9A-Za-z]{32}/);
      expect(banner).toContain('Starter Kits: A1B2C3D4');
      const base = /API: (http:\/\/\S+)/.exec(banner)![1]!;

      const created = await exec('curl', [
        '-s',
        '-X',
        'POST',
        `${base}/v1/runs`,
        '-H',
        `Authorization: Bearer ${liveKey}`,
        '-H',
        'Content-Type: application/json',
        '-H',
        'Idempotency-Key: call-123-kit-A1B2C3D4',
        '-d',
        JSON.stringify({
          kit_code: 'A1B2C3D4',
          mode: 'async',
          input: {
            transcript:
              "Rep: What's driving the urgency?\nProspect: We're losing 3 hours a week on manual notes.",
          },
        }),
      ]);
      const run = JSON.parse(created.stdout) as Record<string, unknown>;
      expect(run['status']).toBe('queued');
      const fetched = await exec('curl', [
        '-s',
        `${base}/v1/runs/${run['run_id']}`,
        '-H',
        `Authorization: Bearer ${liveKey}`,
        '-H',
        'Prefer: wait=10',
      ]);
      const done = JSON.parse(fetched.stdout) as {
        status: string;
        output: { bricks: Record<string, unknown> };
      };
      expect(done.status).toBe('succeeded');
      expect(Object.keys(done.output.bricks)).toContain('talk_ratio');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }

    // Second start on the same store: no new keys are printed.
    const again = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: '',
        SEMARIZE_DATA_DIR: dataDir,
        PORT: '0',
        SEMARIZE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    again.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`second start did not listen:\n${err}`)), 30_000);
      again.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    process.kill(-again.pid!, 'SIGTERM');
    await new Promise((resolve) => again.once('exit', resolve));
    expect(err).not.toContain('smz_live_');
  });
});
