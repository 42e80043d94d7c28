import { KitVersion } from '../../http/response-schemas.ts';
import { createKitVersion } from '../../kits/create-kit-version.ts';
import { CreateKitVersionBody } from '../../kits/kit-request-schemas.ts';
import { kitVersionView } from '../../kits/kit-views.ts';
import { defineTool } from '../tool.ts';
import { KitCode } from './get-kit.ts';
import { kitVersionText } from './kit-version-text.ts';

export const updateKitDraftTool = defineTool({
  name: 'update_kit_draft',
  title: 'Draft a new Kit version',
  description:
    'Adds a new draft version to a Kit: fields left out copy its latest version. Published versions never change; publish the draft with publish_kit_version.',
  input: CreateKitVersionBody.extend({ kit_code: KitCode }),
  output: KitVersion,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  access: { role: 'admin', liveOnly: true },
  bucket: 'create',
  async run({ deps, caller }, { kit_code, ...body }) {
    const version = await createKitVersion(deps, caller.workspaceId, kit_code.toUpperCase(), body);
    const view = kitVersionView(version);
    return { structured: view, text: kitVersionText(view, 'Drafted') };
  },
});
