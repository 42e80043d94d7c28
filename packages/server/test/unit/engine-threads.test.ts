import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EngineThreads,
  evaluationWork,
  INLINE_EVALUATE_MAX_WORK,
  INLINE_PREPARE_MAX_CHARS,
} from '../../src/engine-threads/engine-threads.ts';
import { PatternQuarantine, SLOW_PATTERN_QUARANTINE_MS } from '../../src/engines/tracker/guarded-patterns.ts';
import { createTrackerEngine } from '../../src/engines/tracker/tracker-engine.ts';
import type { Preparation, PreparedInput } from '../../src/evaluation/prepare-input.ts';
import { FairQueue } from '../../src/fair-queue.ts';
import { brickOf, conversationOf } from './evaluation/fixtures.ts';

const LIMITS = { maxTurns: 1_000_000, maxCharacters: 100_000_000 };

/** An input large enough for a thread, tagged so its preparation can be told from another's. */
function largeInput(tag: string, turns = 2_000): string {
  const transcript = Array.from({ length: turns }, (_, i) => ({
    speaker: `S${i % 3}`,
    text: `${tag} says ${i}`,
  }));
  const json = JSON.stringify({ transcript, tag });
  expect(json.length).toBeGreaterThan(INLINE_PREPARE_MAX_CHARS);
  return json;
}

const tagOf = (preparation: Preparation) =>
  preparation.ok ? (JSON.parse(preparation.preparedJson) as PreparedInput).context['tag'] : null;

let threads: EngineThreads | null = null;
afterEach(async () => {
  await threads?.close();
  threads = null;
});

describe('FairQueue', () => {
  it('serves keys round robin, each in its own order', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.push('a', item);
    queue.push('b', 'b1');
    queue.push('c', 'c1');
    queue.push('b', 'b2');
    const served: string[] = [];
    for (let item = queue.shift(); item; item = queue.shift()) served.push(item);
    expect(served).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(queue.size).toBe(0);
  });

  it('removes a waiting item, and nothing it does not hold', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a1');
    queue.push('a', 'a2');
    expect(queue.remove('a', 'a1')).toBe(true);
    expect(queue.remove('a', 'a1')).toBe(false);
    expect(queue.remove('b', 'a2')).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.shift()).toBe('a2');
  });
});

describe('EngineThreads', () => {
  it('prepares a large input on a thread exactly as a small one is prepared inline', async () => {
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000 });
    const json = largeInput('x');
    const onThread = await threads.prepareInput('ws_a', json, LIMITS);
    const { prepareInput } = await import('../../src/evaluation/prepare-input.ts');
    expect(onThread).toEqual(prepareInput(json, LIMITS));
  });

  it('serves workspaces round robin: one workspace with much work waiting delays another by one piece', async () => {
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000 });
    const finished: unknown[] = [];
    const track = (p: Promise<Preparation>) => p.then((prep) => finished.push(tagOf(prep)));
    const busy = ['a1', 'a2', 'a3', 'a4', 'a5'].map((tag) =>
      track(threads!.prepareInput('ws_a', largeInput(tag), LIMITS)),
    );
    const other = track(threads.prepareInput('ws_b', largeInput('b1'), LIMITS));
    await Promise.all([...busy, other]);
    // a1 was running when b1 came; a2 had been queued before it.
    expect(finished).toEqual(['a1', 'a2', 'b1', 'a3', 'a4', 'a5']);
  });

  it("stops a piece of work when its run's signal aborts, and carries on with the next", async () => {
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000 });
    const conversation = conversationOf(
      Array.from({ length: 3_000 }, (_, i) => ['Rep', `gong ${i} `.repeat(40)] as [string, string]),
    );
    const many = brickOf({
      key: 'many',
      engine: 'tracker',
      tracker: { phrases: Array.from({ length: 500 }, (_, i) => `phrase${i} gong`) },
      output: { type: 'number', min: 0 },
    });
    const controller = new AbortController();
    const input = { conversation, context: {}, model: {}, workspaceId: 'ws_a' };
    const heavy = threads.evaluate('tracker', { ...input, bricks: [many], signal: controller.signal });
    const reason = new Error('cancelled by the client');
    controller.abort(reason);
    await expect(heavy).rejects.toBe(reason);
    const small = brickOf({
      key: 'small',
      engine: 'tracker',
      tracker: { phrases: ['gong'] },
      output: { type: 'boolean' },
    });
    const next = await threads.evaluate('tracker', {
      ...input,
      conversation: conversationOf([['Rep', 'We use Gong.']]),
      bricks: [small],
      signal: new AbortController().signal,
    });
    expect(next.results['small']).toMatchObject({ value: true, confidence: 1 });
  });

  it('fails only the work of a thread that runs out of memory, then works again', async () => {
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000, maxThreadHeapMb: 32 });
    await expect(threads.prepareInput('ws_a', largeInput('big', 600_000), LIMITS)).rejects.toThrow(
      /an engine thread stopped during the work/,
    );
    const small = await threads.prepareInput('ws_a', JSON.stringify({ transcript: 'Rep: hi' }), LIMITS);
    expect(small.ok).toBe(true);
    const again = await threads.prepareInput('ws_a', largeInput('ok'), LIMITS);
    expect(tagOf(again)).toBe('ok');
  });

  it('warms its threads up without keeping the process alive', async () => {
    // A process that warms the pool and then has nothing to do must exit by itself.
    const script = `
      import { EngineThreads } from ${JSON.stringify(new URL('../../src/engine-threads/engine-threads.ts', import.meta.url).href)};
      const threads = new EngineThreads({ threads: 2, patternBudgetMs: 2000 });
      threads.warmUp();
      const prepared = await threads.prepareInput('ws', ${JSON.stringify(largeInput('warm'))}, ${JSON.stringify(LIMITS)});
      console.log(prepared.ok);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out.trim()).toBe('true');
  });

  it('evaluates small work on the calling thread and large work on an engine thread, alike', async () => {
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000 });
    const bricks = [
      brickOf({
        key: 'tools',
        engine: 'tracker',
        tracker: { phrases: ['gong', 'chorus'], patterns: ['\\bsales\\w*'] },
        output: { type: 'string_list' },
      }),
    ];
    const turn = ['Prospect', 'We use Gong, and Chorus for salesforce calls.'] as [string, string];
    const small = conversationOf([turn, ['Rep', 'Got it.']]);
    const large = conversationOf(Array.from({ length: 400 }, () => turn));
    expect(evaluationWork(bricks, small)).toBeLessThanOrEqual(INLINE_EVALUATE_MAX_WORK);
    expect(evaluationWork(bricks, large)).toBeGreaterThan(INLINE_EVALUATE_MAX_WORK);
    const input = {
      bricks,
      context: {},
      model: {},
      workspaceId: 'ws_a',
      signal: new AbortController().signal,
    };
    // What the engine gives when made and called here directly.
    const direct = createTrackerEngine({ quarantine: new PatternQuarantine(), patternBudgetMs: 2_000 });

    const inline = await threads.evaluate('tracker', { ...input, conversation: small });
    expect(threads.evaluations).toEqual({ inline: 1, onThreads: 0 });
    expect(inline).toEqual(await direct({ ...input, conversation: small }));
    expect(inline.results['tools']).toMatchObject({ value: ['gong', 'chorus', 'salesforce'] });

    const sent = await threads.evaluate('tracker', { ...input, conversation: large });
    expect(threads.evaluations).toEqual({ inline: 1, onThreads: 1 });
    expect(sent).toEqual(await direct({ ...input, conversation: large }));
    expect(sent.results['tools']?.details).toMatchObject({ hits_total: 1_200 });
  });

  it("counts a tracker's phrases and patterns, so a Kit with many is never compiled on the calling thread", () => {
    const conversation = conversationOf([['Rep', 'hello']]);
    const many = brickOf({
      engine: 'tracker',
      tracker: { phrases: Array.from({ length: 500 }, (_, i) => `phrase ${i}`) },
      output: { type: 'boolean' },
    });
    expect(evaluationWork([many], conversation)).toBeGreaterThan(INLINE_EVALUATE_MAX_WORK);
  });

  it('stops a catastrophic pattern of small work done inline, and quarantines it by its clock', async () => {
    let time = 5_000_000;
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000, clock: { now: () => time } });
    const slow = brickOf({
      key: 'slow',
      engine: 'tracker',
      tracker: { patterns: ['(x+)+y'] },
      output: { type: 'boolean' },
    });
    const output = await threads.evaluate('tracker', {
      bricks: [slow],
      conversation: conversationOf([['Rep', `${'x'.repeat(40)}!`]]),
      context: {},
      model: {},
      workspaceId: 'ws_a',
      signal: new AbortController().signal,
    });
    expect(threads.evaluations).toEqual({ inline: 1, onThreads: 0 });
    expect(output.results['slow']).toMatchObject({ value: null, confidence: 0 });
    expect(output.results['slow']?.details).toMatchObject({ skipped_patterns: ['(x+)+y'] });
    expect(threads.quarantine.keysOf('ws_a')).toEqual(['giu/(x+)+y']);
    expect(threads.quarantine.keysOf('ws_b')).toEqual([]);
    time += SLOW_PATTERN_QUARANTINE_MS;
    expect(threads.quarantine.keysOf('ws_a')).toEqual([]);
  });

  it('carries RunFailure and Kit mistakes back from the thread', async () => {
    threads = new EngineThreads({ threads: 1, patternBudgetMs: 2_000 });
    const broken = brickOf({
      key: 'broken',
      engine: 'tracker',
      tracker: { patterns: ['(unclosed'] },
      output: { type: 'boolean' },
    });
    await expect(
      threads.evaluate('tracker', {
        bricks: [broken],
        conversation: conversationOf([['Rep', 'hello']]),
        context: {},
        model: {},
        workspaceId: 'ws_a',
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/invalid tracker pattern/);
  });
});
