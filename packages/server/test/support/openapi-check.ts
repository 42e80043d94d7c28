import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/http/openapi.ts';

/**
 * Checks real answers against the OpenAPI document: the status is documented for the operation,
 * the body matches its schema, required headers are there and documented ones match theirs.
 * Every response of the black-box suite's client goes through it (support/http-client.ts).
 */

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<
    string,
    { content?: { 'application/json': { schema: Json } }; headers?: Record<string, Json> }
  >;
}

const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi.json', ...(doc as object) });

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    path,
    method: method.toUpperCase(),
    op,
    pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
  })),
);

const validators = new Map<string, ValidateFunction>();
function validatorFor(path: string, method: string, status: string, where: string[]): ValidateFunction {
  const ref = `openapi.json#/${pointer('paths', path, method.toLowerCase(), 'responses', status, ...where)}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

/** Operation ids with the statuses seen, for tests that check every operation was exercised. */
export const seenStatuses = new Map<string, Set<number>>();

/** The problems of one answer, empty when it is what the document says. */
export function responseProblems(
  method: string,
  url: string,
  status: number,
  headers: Headers,
  body: unknown,
): string[] {
  const path = new URL(url, 'http://x').pathname.replace(/\/$/, '') || '/';
  const match = operations.find((o) => o.method === method && o.pattern.test(path));
  // Unknown routes (404 not_found) and other methods (405) are not operations of the document.
  if (!match) return [];
  const { op } = match;
  const where = `${op.operationId} ${status}`;
  const response = op.responses[String(status)];
  if (!response) return [`${where}: status not documented`];
  seenStatuses.set(op.operationId, (seenStatuses.get(op.operationId) ?? new Set()).add(status));
  const problems: string[] = [];
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = headers.get(name);
    if (value === null) {
      if (header['required']) problems.push(`${where}: header ${name} missing`);
      continue;
    }
    const schema = header['schema'] as { type?: string };
    const typed = schema.type === 'integer' ? Number(value) : value;
    const validate = validatorFor(match.path, method, String(status), ['headers', name, 'schema']);
    if (!validate(typed))
      problems.push(`${where}: header ${name}=${value}: ${ajv.errorsText(validate.errors)}`);
  }
  if (response.content) {
    const validate = validatorFor(match.path, method, String(status), [
      'content',
      'application/json',
      'schema',
    ]);
    if (!validate(body)) problems.push(`${where}: body: ${ajv.errorsText(validate.errors)}`);
  }
  return problems;
}
