import { ApiError } from '../errors/api-error.ts';
import type { Store } from '../store/store.ts';
import type { BrickDefinition } from './brick.ts';

/**
 * The Brick versions a Kit version pins: the version asked for, or the latest. Every reference
 * that does not resolve is named in one `invalid_request`, so nothing is written.
 */
export async function pinBricks(
  store: Store,
  workspaceId: string,
  refs: readonly { key: string; version?: number | undefined }[],
): Promise<BrickDefinition[]> {
  const pinned: BrickDefinition[] = [];
  const fields: { field: string; message: string }[] = [];
  for (const [i, ref] of refs.entries()) {
    const found =
      ref.version === undefined
        ? await store.brickVersionGetLatest(workspaceId, ref.key)
        : await store.brickVersionGet(workspaceId, ref.key, ref.version);
    if (found) {
      pinned.push(found.definition);
      continue;
    }
    const brickExists =
      ref.version !== undefined && (await store.brickVersionGetLatest(workspaceId, ref.key));
    fields.push(
      brickExists
        ? { field: `bricks[${i}].version`, message: `Brick "${ref.key}" has no version ${ref.version}` }
        : { field: `bricks[${i}].key`, message: `no Brick "${ref.key}" in this workspace` },
    );
  }
  if (fields.length > 0) throw new ApiError('invalid_request', { detail: { fields } });
  return pinned;
}
