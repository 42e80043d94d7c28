import { createKitVersionRoute } from '../../http/routes/kits.ts';
import { createKitVersion } from '../../kits/create-kit-version.ts';
import { kitVersionView } from '../../kits/kit-views.ts';
import { defineTool } from '../tool.ts';
import { KitCode } from './get-kit.ts';
import { kitVersionText } from './kit-version-text.ts';

export const updateKitDraftTool = defineTool({
  name: 'update_kit_draft',
  title: 'Draft a new Kit version',
  description:
    'Adds a new draft version to a Kit: fields left out copy its latest version. Published versions never change; publish the draft with publish_kit_version.',
  // The path parameter joins the body's fields: a tool has one argument object.
  input: createKitVersionRoute.body.schema.extend({ kit_code: KitCode }),
  output: createKitVersionRoute.responses[201].schema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  route: createKitVersionRoute,
  async run({ deps, caller }, { kit_code, ...body }) {
    const version = await createKitVersion(deps, caller.workspaceId, kit_code.toUpperCase(), body);
    const view = kitVersionView(version);
    return { structured: view, text: kitVersionText(view, 'Drafted') };
  },
});
