import type { RunMode, RunStatus, RunType } from './run.ts';

/** One turn of a call transcript. */
export interface TranscriptTurn {
  speaker: string;
  text: string;
  start_ms?: number;
  end_ms?: number;
}

/** One message of an email thread or chat: `from` or `speaker`, `text` or `body`. */
export interface ConversationMessage {
  from?: string;
  speaker?: string;
  text?: string;
  body?: string;
  sent_at?: string;
}

/**
 * The conversation — `transcript` ("Speaker: text" lines, or turns) or `messages` — plus any context
 * fields (`account_id`, `stage`, `participants`, …), which are passed to the evaluators.
 */
export interface RunInput {
  transcript?: string | TranscriptTurn[];
  messages?: ConversationMessage[];
  /** Echoed back on the run as `metadata`. */
  metadata?: unknown;
  [context: string]: unknown;
}

/** Body of `POST /v1/runs`. Name the Kit with `kit_code` (latest published) or `kit_version_id` (wins). */
export interface CreateRunParams {
  kit_code?: string;
  kit_version_id?: string;
  input: RunInput;
  /** `sandbox` runs never call a model. Default `api`. */
  type?: RunType;
  /** `sync` waits for the result on the server. Default `async`. */
  mode?: RunMode;
}

/** Filters of `GET /v1/runs`. */
export interface ListRunsParams {
  /** Runs per page, 1–100. */
  limit?: number;
  /** Start after this page (a `next_cursor`). */
  cursor?: string;
  status?: RunStatus;
  kit_code?: string;
  run_type?: RunType;
  created_after?: string | Date;
  created_before?: string | Date;
  /** List items omit `output` unless asked for. */
  include?: 'output';
}
