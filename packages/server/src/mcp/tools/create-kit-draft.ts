import { createKitRoute, createKitVersionRoute } from '../../http/routes/kits.ts';
import { createKit } from '../../kits/create-kit.ts';
import { kitVersionView } from '../../kits/kit-views.ts';
import { defineTool } from '../tool.ts';
import { kitVersionText } from './kit-version-text.ts';

export const createKitDraftTool = defineTool({
  name: 'create_kit_draft',
  title: 'Create a Kit',
  description:
    'Creates a new Kit whose version 1 is a draft pinning the given Bricks (latest versions unless pinned). A draft runs by its kit_version_id; publish_kit_version makes the Kit code run it.',
  input: createKitRoute.body.schema,
  // The new draft version, as update_kit_draft answers it, not the Kit with every version: what an
  // agent does next (run the draft, publish it) needs its kit_version_id, and nothing else.
  output: createKitVersionRoute.responses[201].schema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  route: createKitRoute,
  async run({ deps, caller }, args) {
    const view = kitVersionView((await createKit(deps, caller.workspaceId, args)).version);
    return { structured: view, text: kitVersionText(view, 'Created') };
  },
});
