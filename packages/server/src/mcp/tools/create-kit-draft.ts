import { KitVersion } from '../../http/response-schemas.ts';
import { createKit } from '../../kits/create-kit.ts';
import { CreateKitBody } from '../../kits/kit-request-schemas.ts';
import { kitVersionView } from '../../kits/kit-views.ts';
import { defineTool } from '../tool.ts';
import { kitVersionText } from './kit-version-text.ts';

export const createKitDraftTool = defineTool({
  name: 'create_kit_draft',
  title: 'Create a Kit',
  description:
    'Creates a new Kit whose version 1 is a draft pinning the given Bricks (latest versions unless pinned). A draft runs by its kit_version_id; publish_kit_version makes the Kit code run it.',
  input: CreateKitBody,
  output: KitVersion,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  access: { role: 'admin', liveOnly: true },
  bucket: 'create',
  async run({ deps, caller }, args) {
    const view = kitVersionView((await createKit(deps, caller.workspaceId, args)).version);
    return { structured: view, text: kitVersionText(view, 'Created') };
  },
});
