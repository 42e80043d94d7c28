import { z } from 'zod';
import { createRunRoute } from '../../http/routes/runs.ts';

const RunBody = createRunRoute.body.schema;

/** One argument naming the Kit, as agents find it easiest: a Kit code or a Kit version id. */
export const KitRef = z
  .union([RunBody.shape.kit_version_id.unwrap(), RunBody.shape.kit_code.unwrap()])
  .describe('The Kit: its 8-character code (runs its published version) or a kit_version_id (drafts too)');

const isVersionId = (kit: string) => RunBody.shape.kit_version_id.safeParse(kit).success;

/** The run request body of POST /v1/runs, checked by the route's own parse with the same error codes. */
export function runBody(fields: {
  kit: string;
  input: unknown;
  type?: 'api' | 'sandbox';
  mode: 'async' | 'sync';
}) {
  const { kit, ...rest } = fields;
  return createRunRoute.body.parse({
    ...(isVersionId(kit) ? { kit_version_id: kit } : { kit_code: kit }),
    ...rest,
  });
}
