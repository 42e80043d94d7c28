/**
 * POST /mcp while the server shuts down (SPEC §13): a request that reached the server before the
 * shutdown began, but whose body arrives after, answers 503 `unavailable` with Retry-After — not a
 * tool result, not a hang — exactly like /v1.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer | undefined;
afterAll(async () => t?.close());

/** Resolves with everything the socket has received once `done` says it is complete. */
function received(socket: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (done(text)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => (done(text) ? resolve(text) : reject(new Error(`closed after: ${text}`))));
  });
}

describe('MCP during shutdown', () => {
  it('a tools/list whose body arrives after the shutdown began answers 503 unavailable', async () => {
    t = await startTestServer();
    const server = t;
    const { hostname, port } = new URL(server.url);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const sawContinue = received(socket, (text) => text.includes('100 Continue'));
    // Expect: 100-continue makes the server say when it has read the headers and routed the request.
    socket.write(
      [
        'POST /mcp HTTP/1.1',
        `Host: ${hostname}:${port}`,
        `Authorization: Bearer ${server.liveKey}`,
        'Content-Type: application/json',
        'Accept: application/json, text/event-stream',
        'MCP-Protocol-Version: 2025-11-25',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'),
    );
    await sawContinue;

    const closing = server.server.close();
    const answer = received(socket, (text) => /^HTTP\/1\.1 \d{3} [\s\S]*\r\n\r\n[\s\S]*\}$/u.test(text));
    socket.write(body);
    const response = await answer;
    socket.destroy();
    await closing;

    const [head, json] = response.split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 503 /u);
    expect(head.toLowerCase()).toContain('retry-after: 1');
    expect(JSON.parse(json)).toMatchObject({ error: 'unavailable', message: 'The server is shutting down.' });
  });
});
