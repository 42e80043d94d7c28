import { z } from 'zod';
import { getRunRoute } from '../http/routes/runs.ts';
import type { RunRecord } from '../runs/records.ts';
import { runDetail } from '../runs/run-view.ts';

/** SPEC §13: a concise result shows at most this many quotes per Brick. */
export const MAX_QUOTES_PER_BRICK = 3;
/** A quote longer than this is cut: the full text is in `get_run` with `detail: "full"`. */
const MAX_QUOTE_CHARS = 300;

const ConciseBrick = z.object({
  value: z.unknown(),
  confidence: z.number().nullable(),
  reason: z.string(),
  quotes: z.array(z.string()).max(MAX_QUOTES_PER_BRICK).describe('Exact quotes of the conversation'),
});

/**
 * A run as an agent needs it: status, Kit, timing, the error if any, and each Brick's result.
 * Picked from the run GET /v1/runs/{runId} answers, and deliberately smaller (SPEC §13).
 */
export const ConciseRun = getRunRoute.responses[200].schema
  .pick({
    run_id: true,
    status: true,
    run_type: true,
    kit_code: true,
    kit_version_id: true,
    created_at: true,
    completed_at: true,
    error_code: true,
    error_user_message: true,
  })
  .extend({
    bricks: z.record(z.string(), ConciseBrick).optional().describe('Once succeeded: each Brick by key'),
  });
export type ConciseRun = z.infer<typeof ConciseRun>;

type Detail = ReturnType<typeof runDetail>;
type StoredBrick = { value: unknown; confidence: number | null; reason: string; evidence: string[] };

const cut = (text: string) =>
  text.length > MAX_QUOTE_CHARS ? `${text.slice(0, MAX_QUOTE_CHARS - 1)}…` : text;

/** The concise view of a run detail (SPEC §3.2), which it is derived from. */
export function conciseFromDetail(detail: Detail): ConciseRun {
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(ConciseRun.shape)) {
    if (key !== 'bricks' && detail[key] !== undefined) view[key] = detail[key];
  }
  const output = detail['output'] as { bricks?: Record<string, StoredBrick> } | undefined;
  if (output?.bricks) {
    view['bricks'] = Object.fromEntries(
      Object.entries(output.bricks).map(([key, b]) => [
        key,
        {
          value: b.value,
          confidence: b.confidence,
          reason: b.reason,
          quotes: b.evidence.slice(0, MAX_QUOTES_PER_BRICK).map(cut),
        },
      ]),
    );
  }
  return view as ConciseRun;
}

export const conciseRun = (run: RunRecord): ConciseRun => conciseFromDetail(runDetail(run));

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A few lines for the model: the status, then one line per Brick. */
export function runText(run: ConciseRun): string {
  const head = `Run ${run.run_id} (Kit ${run.kit_code ?? run.kit_version_id}, ${run.run_type}) is ${run.status}.`;
  const lines = [head];
  if (run.error_code) lines.push(`Error ${run.error_code}: ${run.error_user_message ?? ''}`.trim());
  for (const [key, brick] of Object.entries(run.bricks ?? {})) {
    const confidence = brick.confidence === null ? '' : ` (confidence ${brick.confidence})`;
    const quotes = brick.quotes.length ? ` Quotes: ${brick.quotes.map((q) => `"${q}"`).join(' ')}` : '';
    lines.push(`- ${key}: ${shown(brick.value)}${confidence}. ${brick.reason}${quotes}`);
  }
  return lines.join('\n');
}
