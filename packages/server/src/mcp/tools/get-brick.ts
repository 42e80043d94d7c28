import { z } from 'zod';
import { getBrickRoute } from '../../http/routes/bricks.ts';
import type { brickDetail } from '../../kits/brick-views.ts';
import { getBrick } from '../../kits/list-bricks.ts';
import { defineTool } from '../tool.ts';

export const BrickKey = getBrickRoute.params.shape.key.min(1).max(64);

/** The few lines that say what a Brick is. */
export function brickText(brick: ReturnType<typeof brickDetail>): string {
  return `Brick ${brick.key} v${brick.version} "${brick.name}" (${brick.engine}, output ${brick.output.type}): ${brick.description}`;
}

export const getBrickTool = defineTool({
  name: 'get_brick',
  title: 'Get a Brick',
  description: "Shows a Brick's whole definition (latest version) and the list of its versions.",
  input: z.object({ key: BrickKey }).strict(),
  output: getBrickRoute.responses[200].schema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: getBrickRoute,
  async run({ deps, caller }, args) {
    const brick = await getBrick(deps.store, caller.workspaceId, args.key);
    return { structured: brick, text: brickText(brick) };
  },
});
