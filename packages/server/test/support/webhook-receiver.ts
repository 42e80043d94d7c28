import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (null: it hung up or never answered). */
  answered: number | null;
  receivedAt: number;
}

/** How the receiver treats the next requests: answer a status, or hang without answering. */
export type ReceiverMode = { status: number } | 'hang';

/**
 * A real HTTP webhook receiver on loopback that records every request. It can refuse connections
 * (stopped, port kept), answer any status, or hang, and switch between them mid-test.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  mode: ReceiverMode = { status: 200 };
  /** Requests received and not yet answered or given up by the sender: deliveries in flight. */
  open = 0;
  /** The most requests ever open at once. */
  maxOpen = 0;
  #server: Server;
  #sockets = new Set<Socket>();
  #port = 0;

  private constructor() {
    this.#server = this.#create();
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.#listen(0);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hooks`;
  }

  /** Deliveries that carry this event id, in arrival order. */
  forEvent(eventId: string): ReceivedDelivery[] {
    return this.received.filter((d) => d.headers['semarize-event-id'] === eventId);
  }

  /** Stops listening (connections are refused) and drops open sockets, keeping the port. */
  async refuse(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async resume(): Promise<void> {
    this.#server = this.#create();
    await this.#listen(this.#port);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #create(): Server {
    const server = createServer((request, response) => {
      this.open++;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      // 'close' comes once the answer is sent, or when the sender hangs up on a hanging receiver.
      response.once('close', () => this.open--);
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const mode = this.mode;
        this.received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered: mode === 'hang' ? null : mode.status,
          receivedAt: Date.now(),
        });
        if (mode === 'hang') return;
        response.writeHead(mode.status, { 'content-type': 'text/plain' });
        response.end(mode.status < 300 ? 'ok' : `receiver says ${mode.status}`);
      });
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    return server;
  }

  async #listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }
}
