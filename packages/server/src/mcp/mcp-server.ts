import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/server';
import type { FastifyBaseLogger } from 'fastify';
import { accessRefusal } from '../http/auth.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
import { callTool } from './call-tool.ts';
import { catalogCheckedInput, checkedOutput, type ToolContext } from './tool.ts';
import { MCP_TOOLS } from './tools.ts';

const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;

const INSTRUCTIONS =
  'Semarize evaluates conversations (call transcripts, emails, chats) with Kits: sets of Bricks, each one question with a typed answer, a confidence, a reason and quotes as evidence. Find a Kit with list_kits and get_kit, then run it with create_run on the conversation text; explain results from their quotes.';

/** A fresh MCP server for one request, offering exactly the tools this caller's key may call. */
export function mcpServerFor(context: ToolContext, limiter: RateLimiter, log: FastifyBaseLogger): McpServer {
  // listChanged false, said outright: registerTool would otherwise advertise true, and a stateless
  // server (one per request, its tools fixed by the key) never sends notifications/tools/list_changed.
  const server = new McpServer(
    { name: 'semarize', version: VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );
  for (const tool of MCP_TOOLS) {
    if (accessRefusal(context.caller, tool.route.access)) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: catalogCheckedInput(tool.input),
        outputSchema: checkedOutput(tool.output),
        annotations: { ...tool.annotations, openWorldHint: false },
      },
      (args: unknown, ctx) =>
        callTool(
          tool,
          { ...context, signal: AbortSignal.any([context.signal, ctx.mcpReq.signal]) },
          limiter,
          log,
          args,
        ),
    );
  }
  return server;
}
