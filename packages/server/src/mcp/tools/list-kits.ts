import { z } from 'zod';
import { listKitsRoute } from '../../http/routes/kits.ts';
import { listKits } from '../../kits/list-kits.ts';
import { MAX_PAGE, PageCursor, pageOf } from '../page.ts';
import { defineTool } from '../tool.ts';

export const listKitsTool = defineTool({
  name: 'list_kits',
  title: 'List Kits',
  description: `Lists the workspace's Kits (at most ${MAX_PAGE} per call): code, name, description and which version is published. A Kit is a set of Bricks (questions asked of a conversation); run one with create_run, see its Bricks with get_kit.`,
  input: z.object({ cursor: PageCursor }).strict(),
  // REST answers every Kit at once; a tool pages them (SPEC §13), so `data` becomes a page.
  output: z.object({
    kits: listKitsRoute.responses[200].schema.shape.data,
    next_cursor: listKitsRoute.responses[200].schema.shape.next_cursor,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: listKitsRoute,
  async run({ deps, caller }, args) {
    const { items, next_cursor } = pageOf(await listKits(deps.store, caller.workspaceId), args.cursor);
    const lines = items.map(
      (k) =>
        `- ${k.kit_code} "${k.name}"${k.published_version ? ` (published v${k.published_version.version})` : ' (draft only)'}: ${k.description}`,
    );
    const more = next_cursor ? `\nMore: call list_kits with cursor "${next_cursor}".` : '';
    return {
      structured: { kits: items, next_cursor },
      text: `${items.length} Kit(s):\n${lines.join('\n')}${more}`,
    };
  },
});
