/**
 * A run's prepared input (runs.prepared: the normalised conversation), read for
 * `GET /v1/runs/{id}?include=conversation`. Written once for both dialects.
 */
export const RUN_GET_PREPARED_INPUT =
  'SELECT prepared FROM runs WHERE id = $runId AND workspace_id = $workspaceId';

/**
 * A run's input as it was sent (runs.input), read for `GET /v1/runs/{id}?include=input`: null once
 * retention purged it.
 */
export const RUN_GET_INPUT =
  'SELECT input FROM runs WHERE id = $runId AND workspace_id = $workspaceId AND input_purged_at IS NULL';
