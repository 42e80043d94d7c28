import type { StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { AnyRoute, RouteAccessSpec } from '../http/route.ts';
import type { Caller } from '../keys/caller.ts';
import type { RunsDeps } from '../runs/deps.ts';

/** What a tool call has to work with: the server's use-case deps and who is calling. */
export interface ToolContext {
  deps: RunsDeps;
  caller: Caller;
  /** Seconds a client should wait before polling a run (the REST Retry-After). */
  pollHintSeconds: () => Promise<number>;
  /** Aborts when the client goes away or cancels the call. */
  signal: AbortSignal;
}

/**
 * A tool's answer: the structured result and a short text for the model. The views it is built
 * from are typed loosely (strings for enums), so the output schema is checked at run time, on
 * every call, by the SDK (see `checkedOutput`).
 */
export interface ToolAnswer {
  structured: object;
  text: string;
}

/** A route of the table that needs a key: the operation a tool calls, whose access it takes. */
export type KeyedRoute = AnyRoute & { access: RouteAccessSpec };

/**
 * One MCP tool: the REST operation it is (whose role, mode and rate-limit bucket it takes, and
 * whose schemas its own are built from), honest hints, and what it does.
 */
export interface McpTool<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Required<Pick<ToolAnnotations, 'readOnlyHint' | 'destructiveHint' | 'idempotentHint'>>;
  /** The REST operation of the same use case: its `access` is the tool's, bucket included. */
  route: KeyedRoute;
  run(context: ToolContext, args: z.output<I>): Promise<ToolAnswer>;
}

/** Keeps a tool's argument and result types tied to its schemas. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(tool: McpTool<I, O>): McpTool<I, O> {
  return tool;
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/**
 * The tool's input schema as the SDK takes it. Its JSON Schema is the zod schema's; validation
 * passes everything through, because the tool validates with zod itself and answers a mistake
 * the way the REST API does (an `isError` result with `invalid_request` and `detail.fields`),
 * which the SDK's own check would replace with a bare protocol error.
 */
export function catalogCheckedInput(schema: z.ZodType): StandardSchemaWithJSON {
  return {
    '~standard': {
      version: 1,
      vendor: 'semarize',
      validate: (value: unknown) => ({ value }),
      jsonSchema: {
        input: () => jsonSchemaOf(schema, 'input'),
        output: () => jsonSchemaOf(schema, 'output'),
      },
    },
  };
}

/** The tool's output schema: the SDK checks every structured result against it. */
export function checkedOutput(schema: z.ZodType): StandardSchemaWithJSON {
  return {
    '~standard': {
      version: 1,
      vendor: 'semarize',
      validate: (value: unknown) => {
        const result = schema.safeParse(value);
        return result.success
          ? { value: result.data }
          : { issues: result.error.issues.map((i) => ({ message: i.message, path: i.path })) };
      },
      jsonSchema: {
        input: () => jsonSchemaOf(schema, 'input'),
        output: () => jsonSchemaOf(schema, 'output'),
      },
    },
  };
}
