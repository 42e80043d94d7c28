/**
 * A run's prepared input (runs.prepared: the normalised conversation), read for
 * `GET /v1/runs/{id}?include=conversation`. Written once for both dialects.
 */
export const GET_PREPARED_INPUT =
  'SELECT prepared FROM runs WHERE id = $runId AND workspace_id = $workspaceId';
