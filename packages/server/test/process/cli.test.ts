import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/semarize.js');
let dataDir: string;

async function semarize(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', SEMARIZE_DATA_DIR: dataDir, ...env },
    });
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
});

describe('semarize --help', () => {
  it('lists the commands and every setting with its environment variable', async () => {
    const res = await semarize(['--help']);
    expect(res.code).toBe(0);
    for (const text of [
      'keys create',
      'kits apply',
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
});
