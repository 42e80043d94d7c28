import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/runs/records.ts';
import { runDetail, runDetailJson } from '../../src/runs/run-view.ts';

const base: RunRecord = {
  id: 'run_01JAAAAAAAAAAAAAAAAAAAAAAA',
  workspaceId: 'ws_1',
  status: 'queued',
  runType: 'api',
  mode: 'async',
  kitCode: 'A1B2C3D4',
  kitVersionId: 'kv_1',
  createdAt: Date.UTC(2026, 10, 29, 9, 0, 0),
  startedAt: null,
  completedAt: null,
  deadlineAt: null,
  attempt: 0,
  workerId: null,
  leaseExpiresAt: null,
  metadataJson: null,
  outputJson: null,
  errorCode: null,
  errorMessage: null,
  errorUserMessage: null,
  usageJson: null,
  requestId: null,
};

const succeeded: RunRecord = {
  ...base,
  status: 'succeeded',
  startedAt: base.createdAt + 2,
  completedAt: base.createdAt + 40,
  attempt: 1,
  outputJson: JSON.stringify({ bricks: { talk_ratio: { value: 0.5, evidence: ['"output": ,{}'] } } }),
  usageJson: JSON.stringify({ input_tokens: 10, output_tokens: 2, model_calls: 1 }),
  metadataJson: JSON.stringify({ crm_id: 'output', nested: { output: null } }),
};

const failed: RunRecord = {
  ...succeeded,
  status: 'failed',
  outputJson: null,
  errorCode: 'model_error',
  errorMessage: 'upstream said no',
  errorUserMessage: 'Try again later.',
};

describe('runDetailJson', () => {
  it.each([
    ['queued', base],
    ['succeeded with output and metadata', succeeded],
    ['failed', failed],
    ['succeeded without stored output', { ...succeeded, outputJson: null }],
  ])('is exactly JSON.stringify(runDetail(run)) for a %s run, key order included', (_, run) => {
    expect(runDetailJson(run)).toBe(JSON.stringify(runDetail(run)));
  });

  it('appends extra fields after the detail', () => {
    const extra = { sync_fallback: true, waited_ms: 30_000 };
    expect(runDetailJson(succeeded, extra)).toBe(JSON.stringify({ ...runDetail(succeeded), ...extra }));
    expect(runDetailJson(base, extra)).toBe(JSON.stringify({ ...runDetail(base), ...extra }));
  });

  it('refuses to splice stored output that is not an object', () => {
    expect(() => runDetailJson({ ...succeeded, outputJson: '{"bricks": ' })).toThrow(SyntaxError);
    expect(() => runDetailJson({ ...succeeded, outputJson: 'not json' })).toThrow(SyntaxError);
  });

  it('never carries output for a run that is not succeeded, whatever is stored', () => {
    const cancelled = { ...succeeded, status: 'cancelled' as const, errorCode: 'cancelled' };
    expect(JSON.parse(runDetailJson(cancelled))).not.toHaveProperty('output');
  });
});
