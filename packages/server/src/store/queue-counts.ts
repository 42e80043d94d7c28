/**
 * Queued runs per workspace, read from `workspace_queues`: triggers on `runs` keep it (migration
 * 0004 of each dialect), so these are constant-time reads instead of counts over the queue.
 * Written once for both dialects.
 */
export const RUN_COUNT_QUEUED = 'SELECT queued AS n FROM workspace_queues WHERE workspace_id = $workspaceId';

export const RUN_COUNT_QUEUED_UNSCOPED = 'SELECT COALESCE(sum(queued), 0) AS n FROM workspace_queues';
