import { describe, expect, it } from 'vitest';
import { ProgressSpinner } from '../../src/cli/progress-spinner.ts';

const CLEAR_LINE = '\r\x1b[2K';

/** The last thing written, which must redraw the line from its start. */
function lastLine(written: string[]): string {
  const last = written.at(-1)!;
  expect(last.startsWith(CLEAR_LINE)).toBe(true);
  return last.slice(CLEAR_LINE.length);
}

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('the progress spinner', () => {
  it('on a terminal shows the status and elapsed seconds on one line, and leaves the outcome when stopped', () => {
    const tty = stream(true);
    let now = 0;
    const spinner = new ProgressSpinner(tty, () => now);
    spinner.start('Running Kit A1B2C3D4');
    expect(lastLine(tty.written)).toMatch(/^. Running Kit A1B2C3D4 \(0s\)$/);
    now = 3_400;
    spinner.update('run_01 running');
    expect(lastLine(tty.written)).toMatch(/^. run_01 running \(3s\)$/);
    spinner.stop('✔ run_01 succeeded');
    expect(lastLine(tty.written)).toBe('✔ run_01 succeeded\n');
    const count = tty.written.length;
    spinner.stop('again');
    expect(tty.written).toHaveLength(count);
  });

  it('writes nothing at all when the stream is a pipe', () => {
    const pipe = stream(false);
    const spinner = new ProgressSpinner(pipe);
    spinner.start('Running');
    spinner.update('run_01 queued');
    spinner.stop('done');
    expect(spinner.enabled).toBe(false);
    expect(pipe.written).toEqual([]);
  });
});
