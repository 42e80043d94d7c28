import { z } from 'zod';
import { listBricksRoute } from '../../http/routes/bricks.ts';
import { listBricks } from '../../kits/list-bricks.ts';
import { MAX_PAGE, PageCursor, pageOf } from '../page.ts';
import { defineTool } from '../tool.ts';

const BrickList = listBricksRoute.responses[200].schema;

// A listed Brick without its prompt and options: get_brick shows those.
const BrickSummary = BrickList.shape.data.element.pick({
  key: true,
  version: true,
  name: true,
  description: true,
  engine: true,
  output: true,
});

export const listBricksTool = defineTool({
  name: 'list_bricks',
  title: 'List Bricks',
  description: `Lists the workspace's Bricks (at most ${MAX_PAGE} per call), latest version of each: key, name, description, engine and output type. A Brick is one question a Kit asks of a conversation; get_brick shows its whole definition.`,
  input: z.object({ cursor: PageCursor }).strict(),
  // REST answers every Brick at once; a tool pages them (SPEC §13).
  output: z.object({ bricks: z.array(BrickSummary), next_cursor: BrickList.shape.next_cursor }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: listBricksRoute,
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
