import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/semarize.js');
let dataDir: string;

async function semarize(args: string[], env: Record<string, string> = {}, stdin?: string) {
  try {
    const running = run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', SEMARIZE_DATA_DIR: dataDir, ...env },
    });
    if (stdin !== undefined) running.child.stdin!.end(stdin);
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'semarize-cli-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('semarize keys', () => {
  it('create prints the new key alone on stdout, and list shows it by hint only', async () => {
    const created = await semarize([
      'keys',
      'create',
      '--workspace',
      'acme',
      '--role',
      'runner',
      '--test',
      '--expires-in',
      '30d',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^smz_test_[0-9A-Za-z]{32}\n$/);
    expect(created.stderr).toContain('Created workspace "acme"');
    const secret = created.stdout.trim();
    const listed = await semarize(['keys', 'list', '--workspace', 'acme']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${secret.slice(0, 9)}…${secret.slice(-4)}`);
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).toMatch(/\trunner\ttest\t/);
  });

  it('revoke marks the key revoked; revoking an unknown key fails', async () => {
    const created = await semarize(['keys', 'create', '--workspace', 'acme', '--role', 'admin']);
    const listed = await semarize(['keys', 'list', '--workspace', 'acme']);
    const line = listed.stdout.split('\n').find((l) => l.includes(created.stdout.trim().slice(-4)))!;
    const keyId = line.split('\t')[0]!;
    const revoked = await semarize(['keys', 'revoke', keyId]);
    expect(revoked.code).toBe(0);
    const after = await semarize(['keys', 'list', '--workspace', 'acme']);
    const revokedLine = after.stdout.split('\n').find((l) => l.startsWith(keyId))!;
    expect(revokedLine.split('\t')[6]).toMatch(/^\d{4}-/);
    const again = await semarize(['keys', 'revoke', keyId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no active key ${keyId}`);
  });

  it('rejects a bad role or duration with a clear message', async () => {
    const role = await semarize(['keys', 'create', '--role', 'owner']);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('--role must be admin or runner');
    const duration = await semarize(['keys', 'create', '--expires-in', 'soon']);
    expect(duration.code).toBe(1);
    expect(duration.stderr).toContain('is not a duration');
  });
});

describe('semarize kits apply', () => {
  it('applies a Kit file, prints its code, and versions only on change', async () => {
    await semarize(['keys', 'create']); // creates workspace "default"
    const file = join(dataDir, 'kit.yaml');
    await writeFile(
      file,
      'kit:\n  name: Questions\nbricks:\n  - key: questions\n    name: Questions\n    engine: metric\n    metric: { name: question_count }\n    output: { type: number }\n',
    );
    const first = await semarize(['kits', 'apply', file, '--publish']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}\tversion 1\tpublished\t[0-9a-f-]{36}\n$/);
    const again = await semarize(['kits', 'apply', file, '--publish']);
    expect(again.stdout).toMatch(/\tversion 1\tpublished\t.*\t\(unchanged\)\n$/);
  });

  it('a bad file gets an error naming the file and the path inside it, and nothing is applied', async () => {
    const file = join(dataDir, 'bad.yaml');
    await writeFile(
      file,
      'kit:\n  name: Bad\nbricks:\n  - key: stage\n    name: Stage\n    engine: metric\n    metric: { name: question_count }\n    output: { type: category, options: [only_one] }\n',
    );
    const res = await semarize(['kits', 'apply', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${file}: bricks[0].output.options:`);
    const engine = join(dataDir, 'engine.yaml');
    await writeFile(
      engine,
      'bricks:\n  - key: x\n    name: X\n    engine: magic\n    output: { type: boolean }\n',
    );
    const res2 = await semarize(['kits', 'apply', engine]);
    expect(res2.code).toBe(1);
    expect(res2.stderr).toContain(`${engine}: bricks[0].engine: unknown engine "magic"`);
  });

  it('with several files, one bad file means none is applied', async () => {
    const good = join(dataDir, 'good-2.yaml');
    await writeFile(
      good,
      'kit:\n  name: Never applied\nbricks:\n  - key: never_applied\n    name: N\n    engine: metric\n    metric: { name: question_count }\n    output: { type: number }\n',
    );
    const missing = join(dataDir, 'missing-brick.yaml');
    await writeFile(missing, 'kit:\n  name: Missing\n  bricks: [no_such_brick]\n');
    const res = await semarize(['kits', 'apply', good, missing, '--publish']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${missing}: kit.bricks[0]: no Brick "no_such_brick"`);
    expect(res.stdout).toBe('');
    // Applying the good file alone now creates version 1: nothing of it was written before.
    const alone = await semarize(['kits', 'apply', good]);
    expect(alone.stdout).toMatch(/\tversion 1\tdraft\t[0-9a-f-]{36}\n$/);
  });

  it('the configured Kit limits refuse a file the ceilings allow, at its paths; nothing is applied', async () => {
    const file = join(dataDir, 'over-limits.yaml');
    const tracker = (key: string, phrases: string) =>
      `  - key: ${key}\n    name: ${key}\n    engine: tracker\n    tracker: { phrases: [${phrases}] }\n    output: { type: boolean }\n`;
    await writeFile(
      file,
      `kit:\n  name: Over limits\nbricks:\n${tracker('limited_a', 'a, b, c')}${tracker('limited_b', 'd')}`,
    );
    const lowered = { SEMARIZE_MAX_KIT_BRICKS: '1', SEMARIZE_MAX_TRACKER_PHRASES: '2' };
    const res = await semarize(['kits', 'apply', file], lowered);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `${file}: bricks[0].tracker.phrases: Too big: expected array to have <=2 items`,
    );
    expect(res.stderr).toContain(
      `${file}: bricks: a Kit has at most 1 Bricks; list the Kit's Bricks in kit.bricks`,
    );
    expect(res.stdout).toBe('');
    // On the defaults the same file applies as version 1: nothing of it was written before.
    const applied = await semarize(['kits', 'apply', file]);
    expect(applied.stdout).toMatch(/\tversion 1\tdraft\t[0-9a-f-]{36}\n$/);
  });

  it('a new workspace whose starter Kits exceed the configured limits is not created at all', async () => {
    const res = await semarize(['keys', 'create', '--workspace', 'limited'], {
      SEMARIZE_MAX_KIT_BRICKS: '3',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/call-basics\.yaml: bricks: a Kit has at most 3 Bricks/);
    expect(res.stdout).toBe('');
    const listed = await semarize(['keys', 'list', '--workspace', 'limited']);
    expect(listed.stderr).toContain('no workspace "limited"');
  });
});

describe('semarize --help', () => {
  it('lists the commands and every setting with its environment variable', async () => {
    const res = await semarize(['--help']);
    expect(res.code).toBe(0);
    for (const text of [
      'keys create',
      'kits apply',
      'run --kit CODE --input FILE|-',
      'runs get RUN_ID',
      'SEMARIZE_API_KEY',
      'serve',
      'work',
      '--sync-wait-ms',
      'SEMARIZE_SYNC_WAIT_MS',
      'SEMARIZE_MAX_BODY_BYTES',
      'SEMARIZE_RUN_TIMEOUT_MS',
      'SEMARIZE_MAX_ATTEMPTS',
      'SEMARIZE_LOG_LEVEL',
      'DATABASE_URL',
    ]) {
      expect(res.stdout).toContain(text);
    }
  });

  it('refuses a malformed setting with exit code 2', async () => {
    const res = await semarize(['keys', 'list'], { PORT: 'eighty' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('PORT must be a whole number');
  });

  it('refuses at start-up a Kit limit above what the API accepts, with exit code 2', async () => {
    // `up` would keep running if it started; the timeout ends it so the test fails instead of hanging.
    const started = await run(process.execPath, [BIN, 'up'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        SEMARIZE_DATA_DIR: dataDir,
        PORT: '0',
        SEMARIZE_MAX_TRACKER_PATTERNS: '1000',
      },
      timeout: 20_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(started.code).toBe(2);
    expect(started.stderr).toBe(
      'semarize: SEMARIZE_MAX_TRACKER_PATTERNS must be between 0 and 100 (the most the API accepts), got 1000\n',
    );
  });
});

describe('semarize run and runs: the SDK against a real server', () => {
  let t: TestServer;
  let env: Record<string, string>;
  const TRANSCRIPT = 'Rep: What drove the urgency?\nProspect: We lose hours on notes. Can we book a demo?\n';
  const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

  beforeAll(async () => {
    // A short sync wait, so the slow test Kit falls back.
    t = await startTestServer({ config: { syncWaitMs: 300 } });
    env = { SEMARIZE_API_KEY: t.liveKey, SEMARIZE_BASE_URL: t.url };
  });
  afterAll(async () => t?.close());

  it('run --wait with a transcript file prints the finished run as one line of JSON when piped, and nothing else', async () => {
    const file = join(dataDir, 'call.txt');
    await writeFile(file, TRANSCRIPT);
    const res = await semarize(['run', '--kit', 'A1B2C3D4', '--input', file, '--wait'], env);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    const run = json(res.stdout);
    expect(run).toMatchObject({ object: 'run', status: 'succeeded', kit_code: 'A1B2C3D4', mode: 'async' });
    expect((run['output'] as { bricks: Record<string, unknown> }).bricks).toHaveProperty('question_count');
  });

  it('run --sync reads a JSON input from stdin and lets the server wait', async () => {
    const input = JSON.stringify({ messages: [{ from: 'rep@acme.test', body: 'Can we book a demo?' }] });
    const res = await semarize(['run', '--kit', 'A1B2C3D4', '--input', '-', '--sync'], env, input);
    expect(res.code).toBe(0);
    expect(json(res.stdout)).toMatchObject({ status: 'succeeded', mode: 'sync' });
  });

  it('run without --wait prints the queued run; runs get --wait follows it to the end', async () => {
    const created = await semarize(['run', '--kit', 'A1B2C3D4', '--input', '-'], env, TRANSCRIPT);
    expect(created.code).toBe(0);
    const queued = json(created.stdout);
    expect(queued['status']).toBe('queued');
    const followed = await semarize(['runs', 'get', queued['run_id'] as string, '--wait'], env);
    expect(followed.code).toBe(0);
    expect(json(followed.stdout)).toMatchObject({ run_id: queued['run_id'], status: 'succeeded' });
  });

  it('a sync run that outlasts the server wait is printed still running, with how to follow it; runs cancel ends it', async () => {
    const input = JSON.stringify({ transcript: TRANSCRIPT, sleep_ms: 60_000 });
    const res = await semarize(['run', '--kit', 'SW000001', '--input', '-', '--sync'], env, input);
    expect(res.code).toBe(0);
    const run = json(res.stdout);
    expect(run).toMatchObject({ sync_fallback: true });
    expect(res.stderr).toContain(`semarize runs get ${run['run_id']} --wait`);
    const cancelled = await semarize(['runs', 'cancel', run['run_id'] as string], env);
    expect(cancelled.code).toBe(0);
    expect(json(cancelled.stdout)).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
  });

  it('run --sync --wait continues after the fallback until the run finished', async () => {
    const input = JSON.stringify({ transcript: TRANSCRIPT, sleep_ms: 800 });
    const res = await semarize(['run', '--kit', 'SW000001', '--input', '-', '--sync', '--wait'], env, input);
    expect(res.code).toBe(0);
    expect(json(res.stdout)).toMatchObject({ status: 'succeeded', mode: 'sync' });
  });

  it('a run that fails exits 1 with the failed run on stdout', async () => {
    const res = await semarize(['run', '--kit', 'FA000001', '--input', '-', '--wait'], env, TRANSCRIPT);
    expect(res.code).toBe(1);
    expect(json(res.stdout)).toMatchObject({ status: 'failed', error_code: 'model_error' });
  });

  it('runs list prints JSON Lines, newest first, honouring --limit and the filters', async () => {
    const res = await semarize(['runs', 'list', '--kit', 'A1B2C3D4', '--limit', '2'], env);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n').map(json);
    expect(lines).toHaveLength(2);
    expect(lines.every((r) => r['kit_code'] === 'A1B2C3D4')).toBe(true);
    expect((lines[0]!['run_id'] as string) > (lines[1]!['run_id'] as string)).toBe(true);

    const all = await semarize(['runs', 'list', '--all', '--status', 'failed'], env);
    expect(
      all.stdout
        .trim()
        .split('\n')
        .map(json)
        .map((r) => r['status']),
    ).toEqual(['failed']);
  });

  it('API errors name the status, code and request id; exit code 1', async () => {
    const res = await semarize(['runs', 'get', 'run_00000000000000000000000000'], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      /^semarize: 404 run_not_found: No such run in this workspace\. \(request req_\w+\)/,
    );
    const kit = await semarize(['run', '--kit', 'NOPE0000', '--input', '-'], env, TRANSCRIPT);
    expect(kit.code).toBe(1);
    expect(kit.stderr).toContain('404 kit_not_found');
  });

  it('refuses to run without an API key, a Kit or an input, saying what is missing', async () => {
    const noKey = await semarize(['runs', 'list'], { SEMARIZE_BASE_URL: t.url, SEMARIZE_API_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('SEMARIZE_API_KEY is not set');
    const noKit = await semarize(['run', '--input', '-'], env, TRANSCRIPT);
    expect(noKit.code).toBe(1);
    expect(noKit.stderr).toContain('usage: semarize run --kit CODE --input FILE|-');
    const empty = await semarize(['run', '--kit', 'A1B2C3D4', '--input', '-'], env, '  \n');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('stdin: the input is empty');
  });
});
