import { z } from 'zod';
import { BrickWithVersions } from '../../http/response-schemas.ts';
import type { brickDetail } from '../../kits/brick-views.ts';
import { getBrick } from '../../kits/list-bricks.ts';
import { defineTool } from '../tool.ts';

/** A Brick as shown; any engine the server runs, not only those the API offers for new Bricks. */
export const BrickOutput = BrickWithVersions.extend({ engine: z.string() });

export const BrickKey = z.string().min(1).max(64).describe('The Brick key, e.g. "talk_ratio"');

/** The few lines that say what a Brick is. */
export function brickText(brick: ReturnType<typeof brickDetail>): string {
  return `Brick ${brick.key} v${brick.version} "${brick.name}" (${brick.engine}, output ${brick.output.type}): ${brick.description}`;
}

export const getBrickTool = defineTool({
  name: 'get_brick',
  title: 'Get a Brick',
  description: "Shows a Brick's whole definition (latest version) and the list of its versions.",
  input: z.object({ key: BrickKey }).strict(),
  output: BrickOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  access: { role: 'runner' },
  bucket: 'read',
  async run({ deps, caller }, args) {
    const brick = await getBrick(deps.store, caller.workspaceId, args.key);
    return { structured: brick, text: brickText(brick) };
  },
});
