import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatIssuePath } from '../errors/invalid-request.ts';
import { KIT_CODE_PATTERN } from '../ids.ts';
import { PROVIDER_NAMES } from '../models/providers.ts';
import { BrickDefinition } from './brick.ts';
import type { BrickIssue } from './brick-rules.ts';
import { KIT_LIMIT_CEILINGS } from './kit-limit-ceilings.ts';

/**
 * A Kit file (YAML or JSON): Brick definitions, and optionally one Kit made of them.
 * Applying a file creates new Brick/Kit versions only where something changed.
 */
export const KitFile = z
  .object({
    bricks: z.array(BrickDefinition.omit({ version: true })).default([]),
    kit: z
      .object({
        /** Fixed code (8 chars of 0-9A-Z without I L O U). Without one, a code is generated on first
         *  apply and later applies find the Kit by its name. */
        code: z.string().regex(KIT_CODE_PATTERN, '8 characters of 0-9 and A-Z without I, L, O, U').optional(),
        name: z.string().min(1).max(200),
        description: z.string().max(5_000).default(''),
        model: z
          .object({
            provider: z.enum(PROVIDER_NAMES).optional(),
            model: z.string().min(1).optional(),
            fail_on_brick_error: z.boolean().optional(),
            temperature: z.number().min(0).max(2).optional(),
            samples: z.int().min(1).max(5).optional(),
            reuse: z.boolean().optional(),
          })
          .strict()
          .default({}),
        /** Brick keys, in order; defaults to every Brick of this file. */
        bricks: z.array(z.string()).min(1).max(KIT_LIMIT_CEILINGS.maxKitBricks).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const issue of wholeFileKitIssues(file, KIT_LIMIT_CEILINGS.maxKitBricks))
      ctx.addIssue({ code: 'custom', ...issue });
  });
export type KitFile = z.infer<typeof KitFile>;

/**
 * A Kit made of every Brick of the file has as many Bricks as the file: over `maxKitBricks`, it
 * must list its Bricks. Checked at the ceiling when parsing, at the configured limit when applying.
 */
export function wholeFileKitIssues(
  file: { bricks: readonly unknown[]; kit?: { bricks?: readonly string[] | undefined } | undefined },
  maxKitBricks: number,
): BrickIssue[] {
  if (!file.kit || file.kit.bricks || file.bricks.length <= maxKitBricks) return [];
  return [
    {
      path: ['bricks'],
      message: `a Kit has at most ${maxKitBricks} Bricks; list the Kit's Bricks in kit.bricks`,
    },
  ];
}

export class KitFileError extends Error {
  override name = 'KitFileError';
}

export function parseKitFile(text: string, name: string): KitFile {
  let raw: unknown;
  try {
    raw = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new KitFileError(
      `${name}: not valid ${name.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const result = KitFile.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${name}: ${formatIssuePath(i.path)}: ${i.message}`);
    throw new KitFileError(lines.join('\n'));
  }
  return result.data;
}

/** Reads and checks a Kit file; errors name it `name` (the path as the user typed it). */
export async function readKitFile(path: string, name: string = path): Promise<KitFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KitFileError(`${name}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseKitFile(text, name);
}
