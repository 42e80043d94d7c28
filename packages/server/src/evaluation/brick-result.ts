/** Where a quote was found: the turn, and character offsets inside that turn's text. */
export interface EvidenceSpan {
  turn: number;
  start: number;
  end: number;
  approximate?: true;
  similarity?: number;
}

/** A span as results show it: with who said it (docs/signals.md §1), null when the input names no one. */
export interface ResultSpan extends EvidenceSpan {
  speaker: string | null;
  /** A near-verbatim quote (SPEC §11.2): the span is the real text, `similarity` how close the quote was. */
  approximate?: true;
  similarity?: number;
}

/** The result of one Brick on one run (SPEC §3.2). Extra fields are additive. */
export interface BrickResult {
  value: unknown;
  confidence: number | null;
  reason: string;
  evidence: string[];
  evidence_spans: ResultSpan[];
  brick_version: number;
  /** Engine-specific extras, e.g. the per-speaker breakdown of a talk ratio. */
  details?: Record<string, unknown>;
  /** Why this Brick has no value although the run succeeded (SPEC §11.4). */
  error?: { code: string; message: string };
}

/** Model usage of a run; zeros for deterministic Bricks. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  model_calls: number;
  /** Input tokens the provider read from its prompt cache; present once a provider reported it. */
  cached_input_tokens?: number;
}

/** Two usages summed; `cached_input_tokens` is kept when either reported it. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    model_calls: a.model_calls + b.model_calls,
  };
  if (a.cached_input_tokens !== undefined || b.cached_input_tokens !== undefined)
    sum.cached_input_tokens = (a.cached_input_tokens ?? 0) + (b.cached_input_tokens ?? 0);
  return sum;
}
