/**
 * Queued runs per workspace, read from `workspace_queues`: triggers on `runs` keep it (migration
 * 0004 of each dialect), so these are constant-time reads instead of counts over the queue.
 * Written once for both dialects.
 */
export const COUNT_QUEUED_RUNS = 'SELECT queued AS n FROM workspace_queues WHERE workspace_id = $workspaceId';

export const COUNT_ALL_QUEUED_RUNS = 'SELECT COALESCE(sum(queued), 0) AS n FROM workspace_queues';
