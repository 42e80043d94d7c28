/**
 * The README's newcomer path, typed as written in a fresh clone: `npm install && npm start`, the
 * command-line client from the project root and from a subfolder, `npx semarize keys create`,
 * piping to jq, installing the SDK into another project, and stopping `npm start` as a process
 * manager does (SIGTERM to its PID).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshClone, newcomerEnv } from '../support/fresh-clone.ts';
import { createClient } from '../support/http-client.ts';

const CALL = 'Rep: What drove the urgency?\nProspect: We lose three hours a week. Can we book a demo?\n';
// The README's example Kit file.
const MY_KIT = `kit:
  name: Discovery hygiene
bricks:
  - key: questions_asked
    name: Questions asked
    engine: metric
    metric: { name: question_count, speaker: Rep }
    output: { type: number, min: 0 }
`;

let clone: string;
let project: string;
let server: ChildProcess;
let url: string;
let liveKey: string;
let stdoutOfStart = '';

/** A command typed in `cwd`, its output piped (as into `| jq`): stdout is not a terminal. */
function typed(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { cwd, env: newcomerEnv(extraEnv) }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const cli = (args: string[], cwd = clone) =>
  typed('npm', ['run', 'semarize', '--', ...args], cwd, {
    SEMARIZE_API_KEY: liveKey,
    SEMARIZE_BASE_URL: url,
  });

const jsonLines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  clone = await freshClone();
  project = await mkdtemp(join(tmpdir(), 'semarize-sdk-user-'));
  // The default store, the default kits: nothing but a free port and full logs is set.
  server = spawn('npm', ['start'], {
    cwd: clone,
    env: newcomerEnv({ PORT: '0', SEMARIZE_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so afterAll can end whatever it left behind if the fix regresses.
    detached: true,
  });
  server.stdout!.on('data', (chunk: Buffer) => {
    stdoutOfStart += chunk.toString();
  });
  let stderr = '';
  const banner = await new Promise<string>((resolve, reject) => {
    server.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('Try it:')) resolve(stderr);
    });
    server.once('exit', () => reject(new Error(`npm start exited:\n${stderr}`)));
  });
  liveKey = /Admin live key:\s+(smz_live_\w+)/.exec(banner)![1]!;
  url = /API: (http:\/\/\S+)/.exec(banner)![1]!;
}, 300_000);

afterAll(async () => {
  // Whatever npm start left in its process group: nothing, unless the SIGTERM fix regresses.
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
  await rm(clone, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

describe('the newcomer path in a fresh clone', () => {
  it('npm start keeps stdout for JSON logs: no npm banner', () => {
    expect(stdoutOfStart).not.toBe('');
    for (const line of stdoutOfStart.trimEnd().split('\n'))
      expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('run --input FILE reads the file from where the command was typed, root or subfolder; piped output is JSON only', async () => {
    await writeFile(join(clone, 'call.txt'), CALL);
    const fromRoot = await cli(['run', '--kit', 'A1B2C3D4', '--input', 'call.txt', '--wait']);
    expect(fromRoot.stderr).toBe('');
    expect(fromRoot.code).toBe(0);
    expect(jsonLines(fromRoot.stdout)).toEqual([expect.objectContaining({ status: 'succeeded' })]);

    await mkdir(join(clone, 'calls'), { recursive: true });
    await writeFile(join(clone, 'calls', 'second-call.txt'), CALL);
    const fromSubfolder = await cli(
      ['run', '--kit', 'A1B2C3D4', '--input', 'second-call.txt'],
      join(clone, 'calls'),
    );
    expect(fromSubfolder.code, fromSubfolder.stderr).toBe(0);
    expect(jsonLines(fromSubfolder.stdout)).toEqual([expect.objectContaining({ object: 'run' })]);
  });

  it('kits apply FILE writes to the store npm start serves', async () => {
    await writeFile(join(clone, 'my-kit.yaml'), MY_KIT);
    const applied = await cli(['kits', 'apply', 'my-kit.yaml', '--publish']);
    expect(applied.code, applied.stderr).toBe(0);
    const code = applied.stdout.split('\t')[0]!;
    const kit = await createClient(url, liveKey)(`/v1/kits/${code}`);
    expect(kit.status, kit.text).toBe(200);
    expect(kit.body).toMatchObject({ kit_code: code, name: 'Discovery hygiene' });
  });

  it('npx semarize keys create, typed in a subfolder, makes a key the running server accepts: one store at the project root', async () => {
    await mkdir(join(clone, 'calls'), { recursive: true });
    const created = await typed(
      'npx',
      ['semarize', 'keys', 'create', '--role', 'admin'],
      join(clone, 'calls'),
    );
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^smz_live_\w+$/);
    expect((await createClient(url, key)('/v1/runs')).status).toBe(200);
    expect(existsSync(join(clone, '.semarize', 'semarize.db'))).toBe(true);
    expect(existsSync(join(clone, 'calls', '.semarize'))).toBe(false);
    expect(existsSync(join(clone, 'packages', 'server', '.semarize'))).toBe(false);
  });

  it('runs list | jq: JSON Lines, one run object per line, nothing else', async () => {
    const listed = await typed(
      'sh',
      ['-c', 'npm run semarize -- runs list | jq -c "{run_id, object}"'],
      clone,
      {
        SEMARIZE_API_KEY: liveKey,
        SEMARIZE_BASE_URL: url,
      },
    );
    expect(listed.stderr).toBe('');
    const runs = jsonLines(listed.stdout);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r['object'] === 'run')).toBe(true);
  });

  it('the SDK installs from the clone into another project and runs a Kit', async () => {
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'sdk-user', private: true, type: 'module' }),
    );
    const installed = await typed(
      'npm',
      ['install', join(clone, 'packages', 'client'), '--no-audit', '--no-fund', '--prefer-offline'],
      project,
    );
    expect(installed.code, installed.stderr).toBe(0);
    // The build happened in the clone's npm install; the SDK itself has no scripts to approve.
    expect(installed.stderr).not.toContain('npm warn');
    await writeFile(
      join(project, 'app.js'),
      `import { Semarize } from '@semarize/client';
const semarize = new Semarize({ apiKey: process.env.SEMARIZE_API_KEY, baseUrl: process.env.SEMARIZE_BASE_URL });
const run = await semarize.runs.createAndWait({ kit_code: 'A1B2C3D4', input: { transcript: ${JSON.stringify(CALL)} } });
console.log(run.status, run.output?.bricks.question_count?.value);
`,
    );
    // The user's own Node (the SDK supports Node 20.3 and later), not the clone's pinned one.
    const ran = await typed('node', ['app.js'], project, {
      SEMARIZE_API_KEY: liveKey,
      SEMARIZE_BASE_URL: url,
    });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe('succeeded 1\n'); // the Rep asked one question
  });

  it('SIGTERM to the PID of npm start stops the server: its port is closed once npm start has exited', async () => {
    const exited = once(server, 'exit');
    process.kill(server.pid!, 'SIGTERM');
    await exited;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
