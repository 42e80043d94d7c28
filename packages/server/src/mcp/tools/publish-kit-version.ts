import { z } from 'zod';
import { KitVersion } from '../../http/response-schemas.ts';
import { KitSchemaQuery } from '../../kits/kit-request-schemas.ts';
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
  input: z
    .object({ kit_code: KitCode, kit_version_id: KitSchemaQuery.shape.kit_version_id.unwrap() })
    .strict(),
  output: KitVersion,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  access: { role: 'admin', liveOnly: true },
  bucket: 'create',
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
