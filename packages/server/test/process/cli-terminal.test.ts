/**
 * `semarize run` and `runs get` on a terminal, against a real server: the spinner shows the run's
 * live status while waiting, and a finished run ends as a report of its Bricks (JSON with --json).
 * A terminal is simulated by streams with `isTTY: true`; the piped path runs through a real
 * process in cli.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientCommandContext } from '../../src/cli/client-context.ts';
import { runCommand } from '../../src/cli/run-command.ts';
import { runsCommand } from '../../src/cli/runs-command.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const TRANSCRIPT = 'Rep: What drove the urgency?\nProspect: We lose hours on notes. Can we book a demo?\n';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

/** A terminal on stdout and stderr; `onStderr` sees each write, as a user watching the spinner. */
function terminal(input: string, onStderr: (text: string) => void = () => {}) {
  const out = { stdout: '', stderr: '' };
  const context: ClientCommandContext = {
    env: { SEMARIZE_API_KEY: t.liveKey, SEMARIZE_BASE_URL: t.url },
    cwd: process.cwd(),
    stdout: { isTTY: true, write: (text: string) => (out.stdout += text) },
    stderr: {
      isTTY: true,
      write: (text: string) => {
        out.stderr += text;
        onStderr(text);
      },
    },
    readStdin: async () => input,
  };
  return { out, context };
}

describe('the command line on a terminal', () => {
  it('run --wait: the spinner shows the live status while the run runs, not the status it was created with', async () => {
    let cancelling: Promise<unknown> | null = null;
    // A run that sleeps a minute, cancelled as soon as the spinner says it is running. Without the
    // live status the first long poll is held a minute, past this test's own time limit.
    const { out, context } = terminal(
      JSON.stringify({ transcript: TRANSCRIPT, sleep_ms: 60_000 }),
      (text) => {
        const running = /(run_\w+) running/.exec(text);
        if (running && !cancelling) cancelling = t.api(`/v1/runs/${running[1]}/cancel`, { method: 'POST' });
      },
    );
    const code = await runCommand(
      ['--kit', 'SW000001', '--input', '-', '--wait', '--timeout', '10m'],
      context,
    );
    expect(out.stderr).toMatch(/run_\w+ queued/);
    expect(cancelling).not.toBeNull();
    expect(code).toBe(1);
    expect(out.stdout).toMatch(/^✖ run_\w+ cancelled: cancelled/);
  }, 20_000);

  it('run --wait ends with a readable report of the Bricks; --json prints the run instead', async () => {
    const report = terminal(TRANSCRIPT);
    expect(await runCommand(['--kit', 'A1B2C3D4', '--input', '-', '--wait'], report.context)).toBe(0);
    const runId = /^✔ (run_\w+) succeeded in \d+ ms\n/.exec(report.out.stdout)?.[1];
    expect(runId, report.out.stdout).toBeDefined();
    expect(report.out.stdout).toMatch(/\n {2}BRICK\s+VALUE\s+CONFIDENCE\n/);
    // The starter Kit counts the Rep's questions (the company side): one.
    expect(report.out.stdout).toMatch(/\n {2}question_count\s+1\s+1\.00\n/);
    expect(report.out.stdout).toMatch(/\n {2}next_step_mentioned\s+true\s+\d\.\d\d\n/);
    expect(report.out.stdout).not.toContain('evidence');
    // The outcome is on stdout; the spinner line is cleared, not repeated.
    expect(report.out.stderr).not.toContain('succeeded');

    const json = terminal(TRANSCRIPT);
    expect(await runCommand(['--kit', 'A1B2C3D4', '--input', '-', '--wait', '--json'], json.context)).toBe(0);
    expect(JSON.parse(json.out.stdout)).toMatchObject({ object: 'run', status: 'succeeded' });

    const got = terminal('');
    expect(await runsCommand(['get', runId!], got.context)).toBe(0);
    expect(got.out.stdout).toMatch(new RegExp(`^✔ ${runId} succeeded`));

    const table = terminal('');
    expect(await runsCommand(['list', '--limit', '1'], table.context)).toBe(0);
    expect(table.out.stdout).toMatch(/^RUN_ID\s+STATUS/);
    const lines = terminal('');
    expect(await runsCommand(['list', '--limit', '1', '--json'], lines.context)).toBe(0);
    expect(JSON.parse(lines.out.stdout)).toMatchObject({ object: 'run' });
  });
});
