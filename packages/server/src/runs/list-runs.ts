import { ApiError } from '../errors/api-error.ts';
import { type Caller, visibleRunTypes } from '../keys/caller.ts';
import { conversationView } from './conversation-view.ts';
import type { RunsDeps } from './deps.ts';
import type { ListRunsQuery } from './request-schemas.ts';
import { runDetail } from './run-view.ts';

const encodeCursor = (runId: string) => Buffer.from(runId, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const runId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^run_[0-9A-Z]{26}$/.test(runId)) {
    throw new ApiError('invalid_request', {
      detail: { fields: [{ field: 'cursor', message: 'not a cursor from next_cursor' }] },
    });
  }
  return runId;
}

function parseTime(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}

/** GET /v1/runs: newest first, keyset pagination on the run id (ULIDs sort by creation). */
export async function listRuns(deps: Pick<RunsDeps, 'store'>, caller: Caller, query: ListRunsQuery) {
  const include = new Set(query.include?.split(',') ?? []);
  const visible = visibleRunTypes(caller);
  // Live keys list api runs unless they ask for sandbox ones; test keys only ever see sandbox runs.
  const runTypes = query.run_type
    ? visible.filter((t) => t === query.run_type)
    : caller.mode === 'test'
      ? visible
      : (['api'] as const);
  const rows = runTypes.length
    ? await deps.store.runList({
        workspaceId: caller.workspaceId,
        limit: query.limit,
        beforeId: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        status: query.status,
        kitCode: query.kit_code?.toUpperCase(),
        runTypes,
        createdAfter: parseTime(query.created_after),
        createdBefore: parseTime(query.created_before),
      })
    : [];
  const page = rows.slice(0, query.limit);
  const hasMore = rows.length > query.limit;
  const data = page.map((run) => runDetail(run, { includeOutput: include.has('output') }));
  if (include.has('conversation')) {
    await Promise.all(
      page.map(async (run, i) => {
        data[i]!['conversation'] = conversationView(
          await deps.store.runGetPreparedInput(run.workspaceId, run.id),
        );
      }),
    );
  }
  return {
    object: 'list',
    data,
    has_more: hasMore,
    next_cursor: hasMore && page.length ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}
