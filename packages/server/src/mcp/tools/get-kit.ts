import { z } from 'zod';
import { ApiError } from '../../errors/api-error.ts';
import { getKitRoute, getKitSchemaRoute } from '../../http/routes/kits.ts';
import { kitSchemaView } from '../../kits/kit-views.ts';
import { getKit } from '../../kits/list-kits.ts';
import { resolveKitVersion } from '../../kits/resolve-kit-version.ts';
import { MAX_PAGE } from '../page.ts';
import { defineTool } from '../tool.ts';

const KitQuery = getKitSchemaRoute.query;
const KitSchema = getKitSchemaRoute.responses[200].schema;
const Kit = getKitRoute.responses[200].schema;
const KitVersionSummary = Kit.shape.versions.element.pick({
  kit_version_id: true,
  version: true,
  status: true,
  created_at: true,
  published_at: true,
});

export const KitCode = KitQuery.shape.kit_code.unwrap().describe('The 8-character Kit code');

export const getKitTool = defineTool({
  name: 'get_kit',
  title: 'Get a Kit',
  description:
    'Shows a Kit: its versions, and the Bricks of its published version (or of kit_version_id, or of the latest draft when none is published) with the JSON Schema of the output.bricks a run returns.',
  // GET /v1/kits/{kit_code} and GET /v1/kits/schema in one call, the versions as summaries: what
  // an agent needs before create_run. Both routes ask for the same access.
  input: z.object({ kit_code: KitCode, kit_version_id: KitQuery.shape.kit_version_id }).strict(),
  output: z.object({
    kit: Kit.omit({ versions: true }),
    versions: z.array(KitVersionSummary).max(MAX_PAGE).describe(`Newest first, at most ${MAX_PAGE}`),
    shown_version: KitVersionSummary.describe('The version whose Bricks are shown'),
    bricks: KitSchema.shape.bricks,
    output_schema: KitSchema.shape.schema,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: getKitRoute,
  async run({ deps, caller }, args) {
    const { versions, ...kit } = await getKit(deps.store, caller.workspaceId, args.kit_code);
    const shownId =
      args.kit_version_id ?? kit.published_version?.kit_version_id ?? kit.latest_version.kit_version_id;
    const shown = versions.find((v) => v.kit_version_id === shownId);
    if (!shown) {
      throw new ApiError('kit_not_found', { message: `Kit ${kit.kit_code} has no version ${shownId}.` });
    }
    const schema = kitSchemaView(
      await resolveKitVersion(deps.store, caller.workspaceId, { kitVersionId: shownId }),
    );
    const pick = ({ kit_version_id, version, status, created_at, published_at }: typeof shown) => ({
      kit_version_id,
      version,
      status,
      created_at,
      published_at,
    });
    const lines = schema.bricks.map((b) => `- ${b.key} (${b.output.type}): ${b.name}`);
    return {
      structured: {
        kit,
        versions: versions.slice(0, MAX_PAGE).map(pick),
        shown_version: pick(shown),
        bricks: schema.bricks,
        output_schema: schema.schema,
      },
      text: `Kit ${kit.kit_code} "${kit.name}", version ${shown.version} (${shown.status}), ${lines.length} Brick(s):\n${lines.join('\n')}`,
    };
  },
});
