import { z } from 'zod';
import { Brick } from '../../http/response-schemas.ts';
import { listBricks } from '../../kits/list-bricks.ts';
import { MAX_PAGE, PageCursor, pageOf } from '../page.ts';
import { defineTool } from '../tool.ts';

// Any engine the server runs, not only those the API offers for new Bricks.
const BrickSummary = Brick.pick({
  key: true,
  version: true,
  name: true,
  description: true,
  output: true,
}).extend({
  engine: z.string(),
});

export const listBricksTool = defineTool({
  name: 'list_bricks',
  title: 'List Bricks',
  description: `Lists the workspace's Bricks (at most ${MAX_PAGE} per call), latest version of each: key, name, description, engine and output type. A Brick is one question a Kit asks of a conversation; get_brick shows its whole definition.`,
  input: z.object({ cursor: PageCursor }).strict(),
  output: z.object({ bricks: z.array(BrickSummary), next_cursor: z.string().nullable() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  access: { role: 'runner' },
  bucket: 'read',
  async run({ deps, caller }, args) {
    const all = await listBricks(deps.store, caller.workspaceId);
    const { items, next_cursor } = pageOf(all, args.cursor);
    const bricks = items.map(({ key, version, name, description, engine, output }) => ({
      key,
      version,
      name,
      description,
      engine,
      output,
    }));
    const lines = bricks.map((b) => `- ${b.key} v${b.version} (${b.engine}, ${b.output.type}): ${b.name}`);
    const more = next_cursor ? `\nMore: call list_bricks with cursor "${next_cursor}".` : '';
    return {
      structured: { bricks, next_cursor },
      text: `${bricks.length} Brick(s):\n${lines.join('\n')}${more}`,
    };
  },
});
