import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '@semarize/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunInput } from '../../src/cli/read-run-input.ts';
import { printRun, runListPrinter, runReport, runSummary } from '../../src/cli/run-output.ts';

const run = {
  run_id: 'run_01JF0000000000000000000000',
  object: 'run',
  status: 'failed',
  run_type: 'api',
  mode: 'sync',
  kit_code: 'FA000001',
  kit_version_id: '1ba9f27a-0000-4000-8000-000000000000',
  created_at: '2026-11-28T12:00:00.000Z',
  started_at: '2026-11-28T12:00:00.010Z',
  completed_at: '2026-11-28T12:00:00.022Z',
  duration_ms: 12,
  attempt: 1,
  error_code: 'model_error',
  error_message: 'The test engine failed on purpose.',
  error_user_message: 'This analysis failed.',
  usage: { input_tokens: 0, output_tokens: 0, model_calls: 0 },
} satisfies Run;

const stream = (isTTY: boolean) => {
  const out = { isTTY, text: '', write: (t: string) => (out.text += t) };
  return out;
};

const brick = (value: unknown, confidence: number | null) => ({
  value,
  confidence,
  reason: 'r',
  evidence: [],
  evidence_spans: [],
  brick_version: 1,
});

const succeeded = {
  ...run,
  status: 'succeeded',
  kit_code: 'A1B2C3D4',
  error_code: null,
  error_message: null,
  error_user_message: null,
  output: {
    kit_code: 'A1B2C3D4',
    kit_version_id: run.kit_version_id,
    bricks: {
      question_count: brick(2, 1),
      next_step_mentioned: brick(true, 0.9),
      competitors_mentioned: brick([], 1),
      stakeholders_named: brick(['Dana (CFO)', 'Lee'], 0.75),
      main_objection: brick(`Price: ${'much too expensive '.repeat(5)}`, null),
      decision_process: brick(null, 0),
    },
  },
} as unknown as Run;

describe('run output', () => {
  it('a finished run on a terminal: how it ended, then each Brick with its value and confidence', () => {
    const tty = stream(true);
    printRun(succeeded, tty);
    expect(tty.text).toBe(runReport(succeeded as never));
    const lines = tty.text.split('\n');
    expect(lines[0]).toBe('✔ run_01JF0000000000000000000000 succeeded in 12 ms');
    expect(lines[2]).toMatch(/^ {2}BRICK\s+VALUE\s+CONFIDENCE$/);
    expect(tty.text).toMatch(/\n {2}question_count\s+2\s+1\.00\n/);
    expect(tty.text).toMatch(/\n {2}next_step_mentioned\s+true\s+0\.90\n/);
    expect(tty.text).toMatch(/\n {2}competitors_mentioned\s+\(none\)\s+1\.00\n/);
    expect(tty.text).toMatch(/\n {2}stakeholders_named\s+Dana \(CFO\), Lee\s+0\.75\n/);
    // Long values are cut to one column's width.
    expect(tty.text).toMatch(/\n {2}main_objection\s+Price: much too expensive[^\n]*…\s+-\n/);
    expect(tty.text).toMatch(/\n {2}decision_process\s+null\s+0\.00\n/);
    expect(tty.text).toContain('npx semarize runs get run_01JF0000000000000000000000 --json');
    expect(tty.text).not.toContain('"evidence_spans"');

    const failed = stream(true);
    printRun(run, failed);
    expect(failed.text.split('\n')[0]).toBe(runSummary(run));
    expect(failed.text).not.toContain('BRICK');
  });

  it('--json on a terminal, or a run still going: indented JSON; piped: one line of JSON', () => {
    const json = stream(true);
    printRun(succeeded, json, { json: true });
    expect(json.text).toBe(`${JSON.stringify(succeeded, null, 2)}\n`);
    const queued = { ...run, status: 'queued' } as unknown as Run;
    const active = stream(true);
    printRun(queued, active);
    expect(active.text).toBe(`${JSON.stringify(queued, null, 2)}\n`);
    const pipe = stream(false);
    printRun(succeeded, pipe);
    expect(pipe.text).toBe(`${JSON.stringify(succeeded)}\n`);
  });

  it('a list: a table on a terminal, JSON Lines when piped', () => {
    const tty = stream(true);
    const printTable = runListPrinter(tty);
    printTable(run);
    printTable({ ...run, status: 'queued', duration_ms: null } as Run);
    const [header, first, second] = tty.text.trimEnd().split('\n');
    expect(header).toMatch(/^RUN_ID\s+STATUS\s+KIT\s+TYPE\s+CREATED\s+DURATION$/);
    expect(first).toMatch(/^run_01JF0+\s+failed\s+FA000001\s+api\s+2026-11-28T12:00:00\.000Z\s+12 ms$/);
    expect(second).toMatch(/queued .* -$/);

    const pipe = stream(false);
    const printLines = runListPrinter(pipe);
    printLines(run);
    printLines(run);
    expect(
      pipe.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([run, run]);
  });

  it('summaries say how the run ended', () => {
    expect(runSummary(run)).toBe(
      '✖ run_01JF0000000000000000000000 failed: model_error — The test engine failed on purpose.',
    );
    expect(runSummary({ ...run, status: 'succeeded' } as Run)).toBe(
      '✔ run_01JF0000000000000000000000 succeeded in 12 ms',
    );
    expect(runSummary({ ...run, status: 'running', sync_fallback: true } as Run)).toContain(
      'still going after the sync wait',
    );
  });
});

describe('reading a run input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'semarize-input-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const noStdin = () => Promise.reject(new Error('stdin not expected'));
  const from = (cwd: string) => ({ cwd, readStdin: noStdin });
  const stdin = (text: string) => ({ cwd: '/', readStdin: async () => text });

  it('a JSON object is the input; any other text is the transcript', async () => {
    const jsonFile = join(dir, 'input.json');
    await writeFile(jsonFile, '{"messages":[{"from":"a","body":"hi"}],"account_id":"acc_1"}');
    await expect(readRunInput(jsonFile, from('/'))).resolves.toEqual({
      messages: [{ from: 'a', body: 'hi' }],
      account_id: 'acc_1',
    });
    const transcript = '[00:01] Rep: Hello?\n[00:03] Prospect: Hi.\n';
    await expect(readRunInput('-', stdin(transcript))).resolves.toEqual({ transcript });
  });

  it('names the source of a broken input', async () => {
    await expect(readRunInput('-', stdin('{"transcript": '))).rejects.toThrow(/^stdin: not valid JSON/);
    await expect(readRunInput('-', stdin(''))).rejects.toThrow('stdin: the input is empty');
    await expect(readRunInput('missing.txt', from(dir))).rejects.toThrow('missing.txt: cannot read: ENOENT');
  });

  it('a relative file resolves from the directory the command was typed in', async () => {
    await writeFile(join(dir, 'call.txt'), 'Rep: Hello?\n');
    await expect(readRunInput('call.txt', from(dir))).resolves.toEqual({ transcript: 'Rep: Hello?\n' });
  });
});
