/** The run detail (SPEC §3.2): the same shape for create and get responses, list items and webhooks. */

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ActiveRunStatus = 'queued' | 'running';
export type TerminalRunStatus = 'succeeded' | 'failed' | 'cancelled';
export type RunType = 'api' | 'sandbox';
export type RunMode = 'async' | 'sync';

/** Why a run failed or was cancelled. Open-ended: newer servers may add codes. */
export type RunErrorCode =
  | 'model_not_configured'
  | 'model_error'
  | 'model_timeout'
  | 'model_rate_limited'
  | 'model_refused'
  | 'output_invalid'
  | 'input_too_large'
  | 'execution_timeout'
  | 'worker_lost'
  | 'cancelled'
  | 'internal_error'
  | (string & {});

/** Where an evidence quote was found: the turn, character offsets inside that turn's text, and who said it. */
export interface EvidenceSpan {
  turn: number;
  start: number;
  end: number;
  /** The turn's speaker; null when the input names no speaker. */
  speaker: string | null;
  /** A near-verbatim quote (a dropped comma): the evidence shown is the real text of the span. */
  approximate?: true;
  /** How close an approximate quote was (token similarity, ≥ 0.9). */
  similarity?: number;
}

/** A Brick's value, typed by its output type: boolean, score/number, category/text, string_list. */
export type BrickValue = boolean | number | string | string[] | null;

/** The result of one Brick on one run. Extra fields are additive. */
export interface BrickResult<V extends BrickValue = BrickValue> {
  /** `null` when the conversation gives no basis for an answer. */
  value: V;
  /** 0–1, or null when the Brick does not report confidence. */
  confidence: number | null;
  reason: string;
  /** Verbatim quotes of the conversation. */
  evidence: string[];
  evidence_spans: EvidenceSpan[];
  brick_version: number;
  /** Engine-specific extras, e.g. the per-speaker breakdown of a talk ratio. */
  details?: Record<string, unknown>;
  /** Set when this Brick could not be judged (its value is then null); the run still succeeded. */
  error?: { code: string; message: string };
}

/** Brick results by Brick key. */
export type BrickResults = Record<string, BrickResult>;

/**
 * The constraint on a Kit's own map of Brick results — pass one (an interface or a type) to type
 * `output.bricks` precisely: `client.runs.createAndWait<CallBasics>(…)`.
 */
export type BrickResultsOf<B> = { [K in keyof B]: BrickResult };

export interface RunOutput<Bricks extends BrickResultsOf<Bricks> = BrickResults> {
  kit_code: string;
  kit_version_id: string;
  bricks: Bricks;
  /** Keys of the Bricks that could not be judged; absent when every Brick was. */
  incomplete_bricks?: string[];
}

/** Model usage; zeros for deterministic Bricks. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  model_calls: number;
  /** Input tokens read from the provider's prompt cache; present when the provider reports it. */
  cached_input_tokens?: number;
}

interface RunFields {
  /** `run_` + ULID. */
  run_id: string;
  object: 'run';
  run_type: RunType;
  mode: RunMode;
  kit_code: string;
  kit_version_id: string;
  /** ISO-8601 UTC. */
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  /** started → completed, or null. */
  duration_ms: number | null;
  /** 0 before the first start, 1 on the first execution, more after a worker died. */
  attempt: number;
  usage: Usage;
  /** Echo of `input.metadata`, when given. */
  metadata?: unknown;
  /** Set on a sync create's 202: the run did not finish within the wait and keeps going. */
  sync_fallback?: boolean;
  /** How long a sync create waited before falling back, in milliseconds. */
  waited_ms?: number;
}

export interface ActiveRun extends RunFields {
  status: ActiveRunStatus;
}

export interface SucceededRun<Bricks extends BrickResultsOf<Bricks> = BrickResults> extends RunFields {
  status: 'succeeded';
  /** Absent from list items (unless `include: 'output'`) and from thin webhook payloads. */
  output?: RunOutput<Bricks>;
}

export interface UnsuccessfulRun extends RunFields {
  status: 'failed' | 'cancelled';
  error_code: RunErrorCode;
  /** For developers. */
  error_message: string | null;
  /** Safe to show an end user. */
  error_user_message: string | null;
}

/** A run; narrow on `status` to reach `output` or the error fields. */
export type Run<Bricks extends BrickResultsOf<Bricks> = BrickResults> =
  | ActiveRun
  | SucceededRun<Bricks>
  | UnsuccessfulRun;

/** A run in a terminal status. */
export type FinishedRun<Bricks extends BrickResultsOf<Bricks> = BrickResults> =
  | SucceededRun<Bricks>
  | UnsuccessfulRun;

/** One page of `GET /v1/runs`. */
export interface RunPage<Bricks extends BrickResultsOf<Bricks> = BrickResults> {
  object: 'list';
  data: Run<Bricks>[];
  has_more: boolean;
  next_cursor: string | null;
}
