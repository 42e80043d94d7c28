import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PatternScanner } from '../../../src/evaluation/engines/pattern-scanner.ts';

const THREAD = new URL('../../../src/evaluation/engines/pattern-scan-thread.ts', import.meta.url);
const catastrophic = { source: '(a+)+b', flags: 'giu' };
const gong = { source: 'gong', flags: 'giu' };

describe('PatternScanner', () => {
  it('answers scan after scan from one thread, with the flags each pattern was given', () => {
    const scanner = new PatternScanner(THREAD);
    const texts = ['We use Gong', 'gong and GONG'];
    expect(scanner.scan([gong], texts, 100, 1_000)).toEqual([
      [0, 0, 7, 'Gong'],
      [0, 1, 0, 'gong'],
      [0, 1, 9, 'GONG'],
    ]);
    expect(scanner.scan([{ source: 'gong', flags: 'g' }], texts, 100, 1_000)).toEqual([[0, 1, 0, 'gong']]);
  });

  it('stops at the match limit of each pattern', () => {
    const scanner = new PatternScanner(THREAD);
    const found = scanner.scan([{ source: 'a', flags: 'g' }, gong], ['aaaa gong', 'aaaa'], 3, 1_000);
    expect(found).toEqual([
      [0, 0, 0, 'a'],
      [0, 0, 1, 'a'],
      [0, 0, 2, 'a'],
      [1, 0, 5, 'gong'],
    ]);
  });

  it('gives up on a scan past its limit, then answers the next scan from a fresh thread', () => {
    const scanner = new PatternScanner(THREAD);
    expect(scanner.scan([catastrophic], [`${'a'.repeat(40)}!`], 100, 50)).toBeNull();
    expect(scanner.scan([gong], ['we use gong'], 100, 1_000)).toEqual([[0, 0, 7, 'gong']]);
  });

  it('does not keep a process alive once its scans are done, even after a timeout', async () => {
    const script = `
      import { PatternScanner } from ${JSON.stringify(new URL('../../../src/evaluation/engines/pattern-scanner.ts', import.meta.url).href)};
      const scanner = new PatternScanner(new URL(${JSON.stringify(THREAD.href)}));
      const slow = scanner.scan([{ source: '(a+)+b', flags: 'g' }], ['${'a'.repeat(40)}!'], 10, 50);
      const fast = scanner.scan([{ source: 'x', flags: 'g' }], ['xx'], 10, 1000);
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
