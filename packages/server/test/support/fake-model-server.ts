import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A language-model server for tests, on loopback, speaking the real wire formats: OpenAI Chat
 * Completions (`POST /v1/chat/completions`, also what OpenAI-compatible servers speak) and Anthropic
 * Messages (`POST /v1/messages`). Tests script its replies and read what it received. This is the
 * only fake in the test suite: everything from the route to this socket is the real code. Test files
 * get one through `useFakeModel` (use-fake-model.ts); benches and corpus-llm.ts start their own.
 */

/** Provider request bodies are deep, two-dialect JSON; tests read them loosely. */
// biome-ignore lint/suspicious/noExplicitAny: wire-format JSON of two providers
type WireJson = Record<string, any>;

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: WireJson;
  receivedAt: number;
  /** The client closed the connection before an answer was sent (an aborted provider call). */
  aborted: boolean;
}

export type Reply =
  /** The model answers with this JSON object, in the provider's structured-output format. */
  | { answer: unknown; usage?: { input: number; output: number; cached?: number } }
  /** The model answers with raw text (for malformed output). */
  | { text: string }
  /** The model declines: OpenAI's `message.refusal`, Anthropic's `stop_reason: "refusal"`. */
  | { refusal: string }
  /** An HTTP error from the provider. */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answer; the request stays open until the client gives up. */
  | { hang: true };

export type Script = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

export interface FakeModelServer {
  /** Base URL to configure as SEMARIZE_MODEL_BASE_URL (ends in /v1). */
  baseUrl: string;
  requests: ReceivedRequest[];
  script: Script;
  close(): Promise<void>;
}

/** The Brick keys a structured-output request asks for. */
export function requestedKeys(request: ReceivedRequest): string[] {
  const b = request.body;
  const schema =
    b['response_format']?.json_schema?.schema ??
    b['output_config']?.format?.schema ??
    (b['tools'] as { name: string; input_schema: unknown }[] | undefined)?.find((t) => t.name === 'json')
      ?.input_schema;
  return Object.keys((schema as { properties?: object } | undefined)?.properties ?? {});
}

/** All text the request sent to the model (system and user messages). */
export function promptText(request: ReceivedRequest): string {
  const b = request.body;
  const parts: string[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) for (const c of content) if (c?.type === 'text') parts.push(c.text);
  };
  collect(b['system']);
  for (const message of (b['messages'] as { content: unknown }[] | undefined) ?? []) collect(message.content);
  return parts.join('\n');
}

/** Estimated tokens (4 characters a token), the same measure the server uses for its input limit. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

type WireUsage = { input: number; output: number; cached?: number };

function openAiBody(request: ReceivedRequest, content: string, usage: WireUsage) {
  return {
    id: `chatcmpl-fake-${request.receivedAt}`,
    object: 'chat.completion',
    created: Math.floor(request.receivedAt / 1000),
    model: request.body['model'],
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      ...(usage.cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cached } }),
    },
  };
}

function anthropicBody(request: ReceivedRequest, answer: unknown, text: string, usage: WireUsage) {
  const viaTool = !request.body['output_config']?.format && requestedKeys(request).length > 0;
  return {
    id: `msg_fake_${request.receivedAt}`,
    type: 'message',
    role: 'assistant',
    model: request.body['model'],
    content: viaTool
      ? [{ type: 'tool_use', id: 'toolu_fake', name: 'json', input: answer }]
      : [{ type: 'text', text }],
    stop_reason: viaTool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    // Anthropic counts cache reads apart from input_tokens (the uncached rest).
    usage: {
      input_tokens: usage.input - (usage.cached ?? 0),
      output_tokens: usage.output,
      ...(usage.cached === undefined
        ? {}
        : { cache_read_input_tokens: usage.cached, cache_creation_input_tokens: 0 }),
    },
  };
}

export async function startFakeModelServer(script: Script): Promise<FakeModelServer> {
  const requests: ReceivedRequest[] = [];
  const fake: FakeModelServer = { baseUrl: '', requests, script, close: async () => {} };
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const request: ReceivedRequest = {
      path: req.url ?? '',
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as WireJson) : {},
      receivedAt: Date.now(),
      aborted: false,
    };
    requests.push(request);
    res.on('close', () => {
      if (!res.writableEnded) request.aborted = true;
    });
    const anthropic = request.path.endsWith('/messages');
    const reply = await fake.script(request, requests.length - 1);
    if ('hang' in reply) return;
    if ('status' in reply) {
      const body =
        reply.body ??
        (anthropic
          ? {
              type: 'error',
              error: {
                type: reply.status === 429 ? 'rate_limit_error' : 'api_error',
                message: `fake ${reply.status}`,
              },
            }
          : {
              error: {
                message: `fake ${reply.status}`,
                type: reply.status === 429 ? 'rate_limit_error' : 'server_error',
              },
            });
      return send(res, reply.status, body, reply.headers);
    }
    if ('refusal' in reply) {
      const usage = { input: estimateTokens(promptText(request)), output: estimateTokens(reply.refusal) };
      if (anthropic) {
        const body = anthropicBody(request, undefined, reply.refusal, usage);
        return send(res, 200, {
          ...body,
          content: [{ type: 'text', text: reply.refusal }],
          stop_reason: 'refusal',
        });
      }
      const body = openAiBody(request, '', usage);
      body.choices[0]!.message = { role: 'assistant', content: null, refusal: reply.refusal } as never;
      return send(res, 200, body);
    }
    const text = 'text' in reply ? reply.text : JSON.stringify(reply.answer);
    const usage =
      'answer' in reply && reply.usage
        ? reply.usage
        : { input: estimateTokens(promptText(request)), output: estimateTokens(text) };
    if (anthropic)
      return send(res, 200, anthropicBody(request, 'answer' in reply ? reply.answer : text, text, usage));
    return send(res, 200, openAiBody(request, text, usage));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
