import { z } from 'zod';
import { testRunRoute } from '../../http/routes/test-run.ts';
import { testRun } from '../../kits/test-run.ts';
import { defineTool } from '../tool.ts';
import { KitRef, runBody } from './kit-ref.ts';

export const testKitTool = defineTool({
  name: 'test_kit',
  title: 'Check a run request',
  description:
    'Checks a Kit and an input exactly as create_run would, and returns the placeholder output a sandbox run would produce: the shape of the result, without running anything, calling a model or storing anything.',
  input: z.object({ kit: KitRef, input: testRunRoute.body.schema.shape.input }).strict(),
  output: testRunRoute.responses[200].schema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: testRunRoute,
  async run({ deps, caller }, args) {
    const result = await testRun(deps, caller.workspaceId, runBody({ ...args, mode: 'async' }));
    const keys = Object.keys(result.output.bricks);
    return {
      structured: result,
      text: `The request is valid for Kit ${result.kit_code}; a run returns ${keys.length} Brick(s): ${keys.join(', ')}.`,
    };
  },
});
