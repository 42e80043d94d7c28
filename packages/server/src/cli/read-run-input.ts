import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunInput } from '@semarize/client';

/**
 * The `input` of a run from `--input FILE` or `--input -` (stdin). A text starting with `{` is the
 * JSON input object (transcript or messages plus context fields); anything else is taken as the
 * transcript itself ("Speaker: text" lines), so a plain transcript file works as it is. A relative
 * FILE resolves from `cwd`, the directory the command was typed in.
 */
export async function readRunInput(
  source: string,
  context: { cwd: string; readStdin: () => Promise<string> },
): Promise<RunInput> {
  const name = source === '-' ? 'stdin' : source;
  const text =
    source === '-' ? await context.readStdin() : await readSource(resolve(context.cwd, source), name);
  if (text.trim() === '') throw new Error(`${name}: the input is empty`);
  if (!text.trimStart().startsWith('{')) return { transcript: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${name}: the input must be a JSON object`);
  }
  return parsed as RunInput;
}

async function readSource(path: string, name: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
