import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PatternScanner as Scanner } from '../../../src/engines/tracker/pattern-scanner.ts';

const THREAD = new URL('../../../src/engines/tracker/pattern-scan-thread.ts', import.meta.url);
const catastrophic = { source: '(a+)+b', flags: 'giu' };
const gong = { source: 'gong', flags: 'giu' };
const slowText = `${'a'.repeat(40)}!`;

/** The scanner, answering only what each scan found (its time is checked in its own test). */
class PatternScanner {
  readonly #scanner: Scanner;
  constructor(script: URL) {
    this.#scanner = new Scanner(script);
  }
  scan(...args: Parameters<Scanner['scan']>) {
    return this.#scanner.scan(...args).then((outcome) => outcome.found);
  }
}

describe('PatternScanner', () => {
  it('answers scan after scan from one thread, with the flags each pattern was given', async () => {
    const scanner = new PatternScanner(THREAD);
    const texts = ['We use Gong', 'gong and GONG'];
    expect(await scanner.scan([gong], texts, 100, 1_000)).toEqual([
      [0, 0, 7, 'Gong'],
      [0, 1, 0, 'gong'],
      [0, 1, 9, 'GONG'],
    ]);
    expect(await scanner.scan([{ source: 'gong', flags: 'g' }], texts, 100, 1_000)).toEqual([
      [0, 1, 0, 'gong'],
    ]);
  });

  it('stops at the match limit of each pattern', async () => {
    const scanner = new PatternScanner(THREAD);
    const found = await scanner.scan([{ source: 'a', flags: 'g' }, gong], ['aaaa gong', 'aaaa'], 3, 1_000);
    expect(found).toEqual([
      [0, 0, 0, 'a'],
      [0, 0, 1, 'a'],
      [0, 0, 2, 'a'],
      [1, 0, 5, 'gong'],
    ]);
  });

  it('gives up on a scan past its limit; scans queued behind it are answered by a fresh thread', async () => {
    const scanner = new PatternScanner(THREAD);
    const before = scanner.scan([gong], ['gong first'], 100, 1_000);
    const slow = scanner.scan([catastrophic], [slowText], 100, 50);
    const behind = [1, 2, 3].map((n) => scanner.scan([gong], [`gong ${n}`], 100, 1_000));
    expect(await before).toEqual([[0, 0, 0, 'gong']]);
    expect(await slow).toBeNull();
    for (const found of await Promise.all(behind)) expect(found).toEqual([[0, 0, 0, 'gong']]);
    expect(await scanner.scan([gong], ['and gong'], 100, 1_000)).toEqual([[0, 0, 4, 'gong']]);
  });

  it('does not call a scan that finished in time timed out because this thread was busy past its limit', async () => {
    const scanner = new PatternScanner(THREAD);
    await scanner.scan([gong], ['warm up'], 100, 1_000);
    // Block this thread (a long group commit, a GC pause) well past the limit, from a later phase
    // of the event loop: the thread's answer arrives meanwhile and must win over the expired timer.
    const results = [];
    for (let i = 0; i < 5; i++) {
      const pending = scanner.scan([gong], ['gong'], 100, 50);
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          const until = performance.now() + 150;
          while (performance.now() < until) {}
          resolve();
        }),
      );
      results.push(await pending);
    }
    expect(results).toEqual(Array(5).fill([[0, 0, 0, 'gong']]));
  });

  it('an aborted scan that has not begun rejects at once; the time limits of the others still hold', async () => {
    const scanner = new PatternScanner(THREAD);
    await scanner.scan([gong], ['warm up'], 100, 1_000);
    const slow = scanner.scan([catastrophic], [slowText], 100, 200);
    const controller = new AbortController();
    const aborted = scanner.scan([gong], ['gong'], 100, 1_000, controller.signal);
    const after = scanner.scan([gong], ['and gong'], 100, 1_000);
    controller.abort(new Error('run cancelled'));
    await expect(aborted).rejects.toThrow('run cancelled');
    expect(await slow).toBeNull();
    expect(await after).toEqual([[0, 0, 4, 'gong']]);
    await expect(
      scanner.scan([gong], ['x'], 100, 1_000, AbortSignal.abort(new Error('gone'))),
    ).rejects.toThrow('gone');
  });

  it('fails the scans waiting for a thread that cannot start, instead of calling their patterns slow', async () => {
    const scanner = new PatternScanner(new URL('./no-such-thread.ts', THREAD));
    await expect(scanner.scan([gong], ['gong'], 100, 1_000)).rejects.toThrow(
      'the pattern scan thread did not start',
    );
  });

  it('reports the time the thread spent on a scan, not the time it waited behind another', async () => {
    const scanner = new Scanner(THREAD);
    await scanner.scan([gong], ['warm up'], 100, 1_000);
    const slow = scanner.scan([catastrophic], [slowText], 100, 200);
    const behind = scanner.scan([gong], ['gong'], 100, 1_000);
    const [first, second] = await Promise.all([slow, behind]);
    expect(first.found).toBeNull();
    expect(first.ranMs).toBeGreaterThanOrEqual(199);
    // It waited ~200 ms for the slow scan; it ran for far less than that.
    expect(second.found).toEqual([[0, 0, 0, 'gong']]);
    expect(second.ranMs).toBeLessThan(first.ranMs);
  });

  it('keeps a process alive while a scan is pending, and not once scans are done', async () => {
    const script = `
      import { PatternScanner } from ${JSON.stringify(new URL('../../../src/engines/tracker/pattern-scanner.ts', import.meta.url).href)};
      const scanner = new PatternScanner(new URL(${JSON.stringify(THREAD.href)}));
      const slow = (await scanner.scan([{ source: '(a+)+b', flags: 'g' }], [${JSON.stringify(slowText)}], 10, 50)).found;
      const fast = (await scanner.scan([{ source: 'x', flags: 'g' }], ['xx'], 10, 1000)).found;
      console.log(JSON.stringify({ slow, fast }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      slow: null,
      fast: [
        [0, 0, 0, 'x'],
        [0, 0, 1, 'x'],
      ],
    });
  });
});
