import { publishKitVersionRoute } from '../../http/routes/kits.ts';
import { kitVersionView } from '../../kits/kit-views.ts';
import { publishKitVersion } from '../../kits/publish-kit-version.ts';
import { defineTool } from '../tool.ts';
import { KitCode } from './get-kit.ts';
import { kitVersionText } from './kit-version-text.ts';

export const publishKitVersionTool = defineTool({
  name: 'publish_kit_version',
  title: 'Publish a Kit version',
  description:
    'Publishes a draft Kit version: from then on every run of the Kit code, by every client, uses it. Confirm with the user first. Publishing a published version changes nothing.',
  // The path parameters, with kit_code checked as the other Kit tools check it.
  input: publishKitVersionRoute.params.extend({ kit_code: KitCode }).strict(),
  output: publishKitVersionRoute.responses[200].schema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  route: publishKitVersionRoute,
  async run({ deps, caller }, args) {
    const version = await publishKitVersion(
      deps,
      caller.workspaceId,
      args.kit_code.toUpperCase(),
      args.kit_version_id,
    );
    const view = kitVersionView(version);
    return { structured: view, text: kitVersionText(view, 'Published') };
  },
});
