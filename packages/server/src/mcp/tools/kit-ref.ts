import { z } from 'zod';
import { CreateRunBody, parseCreateRunBody } from '../../runs/request-schemas.ts';

/** One argument naming the Kit, as agents find it easiest: a Kit code or a Kit version id. */
export const KitRef = z
  .union([CreateRunBody.shape.kit_version_id.unwrap(), CreateRunBody.shape.kit_code.unwrap()])
  .describe('The Kit: its 8-character code (runs its published version) or a kit_version_id (drafts too)');

const isVersionId = (kit: string) => CreateRunBody.shape.kit_version_id.safeParse(kit).success;

/** The run request body of POST /v1/runs, checked by the same function with the same error codes. */
export function runBody(fields: {
  kit: string;
  input: unknown;
  type?: 'api' | 'sandbox';
  mode: 'async' | 'sync';
}) {
  const { kit, ...rest } = fields;
  return parseCreateRunBody({ ...(isVersionId(kit) ? { kit_version_id: kit } : { kit_code: kit }), ...rest });
}
