import { connect, type Socket } from 'node:net';

/** A plain TCP connection to a test server, for requests a normal HTTP client will not send. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with everything the server sent once the server closed the connection. */
  closed: Promise<string>;
}

export async function openRawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = '';
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
  });
  const closed = new Promise<string>((resolve) => {
    // A reset after the answer still counts as closed; the answer is what the test reads.
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed };
}

/** Sends `text` one byte per `everyMs` until the server closes the connection. */
export function trickle(connection: RawConnection, text: string, everyMs: number): void {
  let next = 0;
  const timer = setInterval(() => {
    if (connection.socket.destroyed || next >= text.length) return clearInterval(timer);
    connection.socket.write(text[next++]!);
  }, everyMs);
  void connection.closed.then(() => clearInterval(timer));
}

/** The responses in raw HTTP/1.1 bytes: status, lower-cased headers, and the parsed JSON body. */
export function parseResponses(raw: string): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}[] {
  const responses = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    responses.push({
      status: Number(statusLine!.split(' ')[1]),
      headers,
      body: JSON.parse(body) as Record<string, unknown>,
    });
    rest = rest.slice(headEnd + 4 + length);
  }
  return responses;
}
