/**
 * The JSON object inside a model's text when the text is not JSON itself (SPEC §11.3): in a
 * Markdown fence (```json … ```), or between the first `{` and the last `}` of prose around it.
 * Undefined when neither parses: the intent is then not unambiguous.
 */
export function extractJson(text: string): Record<string, unknown> | undefined {
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/u.exec(text)?.[1];
  const braces = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  for (const candidate of [fenced, braces]) {
    if (!candidate?.trim().startsWith('{')) continue;
    try {
      const value = JSON.parse(candidate) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // not this one
    }
  }
  return undefined;
}

// A plain refusal instead of an answer: an apology or a "cannot" in the opening words, with no JSON.
const REFUSAL =
  /^\W*(?:i['’]?m sorry|i am sorry|sorry|i (?:can(?:not|['’]t)|won['’]t|am unable|['’]m unable|am not able)|unfortunately,? i)/iu;

/** Whether a text with no JSON in it reads as the model declining the task. */
export function isRefusalText(text: string): boolean {
  return !text.includes('{') && REFUSAL.test(text.trim());
}
