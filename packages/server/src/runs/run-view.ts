import type { RunRecord } from '../store/records.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ZERO_USAGE = { input_tokens: 0, output_tokens: 0, model_calls: 0 };

/** The public run detail (SPEC §3.2): the same shape for POST, GET, list items and webhooks. */
export function runDetail(run: RunRecord, options: { includeOutput: boolean } = { includeOutput: true }) {
  const detail: Record<string, unknown> = {
    run_id: run.id,
    object: 'run',
    status: run.status,
    run_type: run.runType,
    mode: run.mode,
    kit_code: run.kitCode,
    kit_version_id: run.kitVersionId,
    created_at: iso(run.createdAt),
    started_at: iso(run.startedAt),
    completed_at: iso(run.completedAt),
    duration_ms: run.startedAt !== null && run.completedAt !== null ? run.completedAt - run.startedAt : null,
    attempt: run.attempt,
  };
  if (run.status === 'succeeded' && options.includeOutput && run.outputJson) {
    detail['output'] = JSON.parse(run.outputJson);
  }
  if (run.status === 'failed' || run.status === 'cancelled') {
    detail['error_code'] = run.errorCode;
    detail['error_message'] = run.errorMessage;
    detail['error_user_message'] = run.errorUserMessage;
  }
  detail['usage'] = run.usageJson ? JSON.parse(run.usageJson) : ZERO_USAGE;
  if (run.metadataJson !== null) detail['metadata'] = JSON.parse(run.metadataJson);
  return detail;
}
