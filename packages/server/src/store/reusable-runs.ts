/**
 * The newest succeeded run of a workspace with a reuse key (SPEC §11.5), and its output. The key
 * is set only on complete outputs of Kits that reuse, and cleared when the run's input is purged.
 * Written once for both dialects.
 */
export const RUN_GET_REUSABLE = `SELECT id, output FROM runs
  WHERE workspace_id = $workspaceId AND reuse_key = $reuseKey AND status = 'succeeded' AND output IS NOT NULL
  ORDER BY created_at DESC, id DESC LIMIT 1`;
