/** A live idempotency key of one workspace and mode (SPEC §9.1); written once for both dialects. */
export const IDEMPOTENCY_KEY_GET = `SELECT * FROM idempotency_keys
  WHERE workspace_id = $workspaceId AND mode = $mode AND key = $key AND expires_at > $now`;
