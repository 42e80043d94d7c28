import { z } from 'zod';
import { ENGINE_PLUGINS } from '../engines/registry.ts';
import { KIT_CODE_PATTERN } from '../ids.ts';
import { PROVIDER_NAMES } from '../models/providers.ts';
import { BrickDefinition, PUBLIC_ENGINES } from './brick.ts';
import { brickIssues } from './brick-rules.ts';
import { KIT_LIMIT_CEILINGS } from './kit-limit-ceilings.ts';

/** Request bodies and queries of the Brick and Kit endpoints; also the source of their OpenAPI schemas. */

/**
 * A Brick definition as the API takes it: the version is the server's to assign, and only the
 * engines the API offers may be named.
 */
export const BrickFields = BrickDefinition.omit({ version: true }).extend({
  engine: z
    .enum(PUBLIC_ENGINES)
    .describe(ENGINE_PLUGINS.map((plugin) => `${plugin.name}: ${plugin.description}`).join('; ')),
});

function withBrickRules<T extends z.ZodType<Parameters<typeof brickIssues>[0]>>(schema: T): T {
  return schema.superRefine((brick, ctx) => {
    for (const issue of brickIssues(brick)) ctx.addIssue({ code: 'custom', ...issue });
  });
}

/** Body of POST /v1/bricks: a whole Brick definition; it becomes version 1. */
export const CreateBrickBody = withBrickRules(BrickFields);
export type CreateBrickBody = z.infer<typeof CreateBrickBody>;

/** Body of POST /v1/bricks/{key}/versions: the whole new definition; `key` may be left out. */
export const CreateBrickVersionBody = withBrickRules(
  BrickFields.partial({ key: true }).describe(
    'The whole new definition: fields left out take their defaults',
  ),
);
export type CreateBrickVersionBody = z.infer<typeof CreateBrickVersionBody>;

const KitModel = z
  .object({
    provider: z.enum(PROVIDER_NAMES).optional().describe('Unset uses the server default'),
    model: z.string().min(1).max(200).optional().describe('Model id; unset uses the server default'),
    fail_on_brick_error: z
      .boolean()
      .optional()
      .describe(
        'Fail the run when any llm Brick cannot be judged; by default it succeeds with incomplete_bricks',
      ),
    temperature: z
      .number()
      .min(0)
      .max(2)
      .optional()
      .describe('Sampling temperature; unset is 0, or 0.7 when samples is above 1'),
    samples: z
      .int()
      .min(1)
      .max(5)
      .optional()
      .describe(
        'Judge the Bricks this many times: the value is the majority (median for numbers), confidence the agreement times the evidence factor; unset is 1',
      ),
    reuse: z
      .boolean()
      .optional()
      .describe(
        'A run identical to an earlier succeeded one (Kit version, conversation, context, model settings) reuses its output without a model call (output.reused_from)',
      ),
  })
  .strict();

const BrickRef = z
  .object({
    key: z.string().min(1).max(64),
    version: z.int().min(1).optional().describe('Brick version to pin; unset pins the latest'),
  })
  .strict();

const BrickRefs = z
  .array(BrickRef)
  .min(1)
  .max(KIT_LIMIT_CEILINGS.maxKitBricks)
  .superRefine((refs, ctx) => {
    const seen = new Set<string>();
    refs.forEach((ref, i) => {
      if (seen.has(ref.key))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'key'],
          message: 'listed twice: a Kit has each Brick once',
        });
      seen.add(ref.key);
    });
  })
  .describe('The Bricks of the Kit, in output order');

const KitName = z.string().min(1).max(200);
const KitDescription = z.string().max(5_000);

/** Body of POST /v1/kits: a new Kit with its first version, a draft. */
export const CreateKitBody = z
  .object({
    name: KitName,
    description: KitDescription.default(''),
    model: KitModel.default({}),
    bricks: BrickRefs,
    code: z
      .string()
      .toUpperCase()
      .regex(KIT_CODE_PATTERN, '8 characters of 0-9 and A-Z without I, L, O, U')
      .optional()
      .describe('Choose the Kit code; unset generates one'),
  })
  .strict();
export type CreateKitBody = z.infer<typeof CreateKitBody>;

/** Body of POST /v1/kits/{kit_code}/versions: a new draft; fields left out copy the latest version. */
export const CreateKitVersionBody = z
  .object({
    name: KitName.optional(),
    description: KitDescription.optional(),
    model: KitModel.optional().describe('Replaces the model settings as a whole'),
    bricks: BrickRefs.optional(),
  })
  .strict();
export type CreateKitVersionBody = z.infer<typeof CreateKitVersionBody>;

/** Query of GET /v1/bricks/{key}. */
export const GetBrickQuery = z
  .object({
    version: z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .describe('This version of the Brick, with its whole definition; unset is the latest'),
  })
  .strict();

/** Query of GET /v1/kits/schema. */
export const KitSchemaQuery = z
  .object({
    kit_code: z.string().min(1).max(64).optional().describe('The latest published version of this Kit'),
    kit_version_id: z.uuid().optional().describe('Any version, drafts included; wins over kit_code'),
  })
  .strict();
export type KitSchemaQuery = z.infer<typeof KitSchemaQuery>;
