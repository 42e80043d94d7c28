import type { CallToolResult } from '@modelcontextprotocol/server';
import type { FastifyBaseLogger, FastifyError } from 'fastify';
import { type ApiError, errorBody } from '../errors/api-error.ts';
import { invalidRequest } from '../errors/invalid-request.ts';
import { toApiError } from '../http/error-reply.ts';
import { type RateLimiter, rateLimited } from '../http/rate-limiter.ts';
import type { McpTool, ToolContext } from './tool.ts';

/** A catalog error as a tool result: the model reads the code and message, a program the structure. */
export function toolError(error: ApiError): CallToolResult {
  const { request_id: _none, ...body } = errorBody(error, '');
  return {
    isError: true,
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    structuredContent: body,
  };
}

/**
 * One tools/call: the key's rate-limit bucket (the same one its REST calls draw from), the
 * arguments checked by the tool's zod schema, then the use case. Every failure is a tool result
 * with the catalog code, never a protocol error, so the agent can read it and adapt.
 */
export async function callTool(
  tool: McpTool,
  context: ToolContext,
  limiter: RateLimiter,
  log: FastifyBaseLogger,
  args: unknown,
): Promise<CallToolResult> {
  const { bucket } = tool.route.access;
  const decision = limiter.take(context.caller.keyId, bucket);
  if (decision && !decision.allowed) return toolError(rateLimited(bucket, decision));
  try {
    const parsed = tool.input.safeParse(args ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const answer = await tool.run(context, parsed.data);
    return {
      content: [{ type: 'text', text: answer.text }],
      structuredContent: answer.structured as Record<string, unknown>,
    };
  } catch (error) {
    const apiError = toApiError(error as FastifyError, tool.name === 'create_run');
    if (apiError.status >= 500) log.error({ err: error, tool: tool.name }, 'MCP tool call failed');
    return toolError(apiError);
  }
}
