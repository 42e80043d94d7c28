import { createBrickRoute } from '../../http/routes/bricks.ts';
import { createBrick } from '../../kits/create-brick.ts';
import { getBrick } from '../../kits/list-bricks.ts';
import { defineTool } from '../tool.ts';
import { brickText } from './get-brick.ts';

export const createBrickTool = defineTool({
  name: 'create_brick',
  title: 'Create a Brick',
  description:
    'Creates a new Brick (version 1): one question a Kit can ask of a conversation, with its engine and output type. Add it to a Kit with create_kit_draft or update_kit_draft. Fails with brick_already_exists when the key is taken.',
  input: createBrickRoute.body.schema,
  output: createBrickRoute.responses[201].schema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  route: createBrickRoute,
  async run({ deps, caller }, args) {
    const created = await createBrick(deps, caller.workspaceId, args);
    const brick = await getBrick(deps.store, caller.workspaceId, created.key);
    return { structured: brick, text: `Created ${brickText(brick)}` };
  },
});
