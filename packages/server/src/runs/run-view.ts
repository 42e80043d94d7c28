import type { RunRecord } from './records.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ZERO_USAGE = { input_tokens: 0, output_tokens: 0, model_calls: 0 };

/** The fields of the run detail before `output`. */
function detailHead(run: RunRecord): Record<string, unknown> {
  return {
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
}

/** The fields of the run detail after `output`. */
function detailTail(run: RunRecord): Record<string, unknown> {
  const tail: Record<string, unknown> = {};
  if (run.status === 'failed' || run.status === 'cancelled') {
    tail['error_code'] = run.errorCode;
    tail['error_message'] = run.errorMessage;
    tail['error_user_message'] = run.errorUserMessage;
  }
  tail['usage'] = run.usageJson ? JSON.parse(run.usageJson) : ZERO_USAGE;
  if (run.metadataJson !== null) tail['metadata'] = JSON.parse(run.metadataJson);
  return tail;
}

const storedOutput = (run: RunRecord): string | null => (run.status === 'succeeded' ? run.outputJson : null);

/** The public run detail (SPEC §3.2): the same shape for POST, GET, list items and webhooks. */
export function runDetail(run: RunRecord, options: { includeOutput: boolean } = { includeOutput: true }) {
  const detail = detailHead(run);
  const output = options.includeOutput ? storedOutput(run) : null;
  if (output) detail['output'] = JSON.parse(output);
  return Object.assign(detail, detailTail(run));
}

/**
 * runDetail as JSON text, with `extra` fields at the end. The stored output is already JSON text
 * (written by the executor with JSON.stringify), so it is spliced in as it is: parsing and
 * re-serialising a large output was most of what a poll cost.
 */
export function runDetailJson(run: RunRecord, extra: object = {}): string {
  const output = storedOutput(run);
  const tail = { ...detailTail(run), ...extra };
  if (!output) return JSON.stringify({ ...detailHead(run), ...tail });
  // Output is always an object; anything else is damage, and parsing it fails loudly (a 500).
  if (!output.startsWith('{') || !output.endsWith('}'))
    return JSON.stringify({ ...runDetail(run), ...extra });
  // Both parts are non-empty objects: drop the head's "}" and the tail's "{" and join them.
  return `${JSON.stringify(detailHead(run)).slice(0, -1)},"output":${output},${JSON.stringify(tail).slice(1)}`;
}
