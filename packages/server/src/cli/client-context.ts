import { DEFAULT_BASE_URL, Semarize } from '@semarize/client';

/** A stream the client commands write to; `isTTY` decides between terminal and pipe output. */
export interface OutputStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** What the API client commands (`run`, `runs`) need from the process: settings and streams. */
export interface ClientCommandContext {
  /** The environment: SEMARIZE_API_KEY and SEMARIZE_BASE_URL. */
  env: Readonly<Record<string, string | undefined>>;
  /** The directory the command was typed in: relative file arguments resolve from it. */
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Reads all of stdin (for `--input -`). */
  readStdin(): Promise<string>;
}

/** The real process's streams. stdin is only touched when a command reads it. */
export function processStreams(): Omit<ClientCommandContext, 'env' | 'cwd'> {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/**
 * An SDK client for the server named by `--base-url` or SEMARIZE_BASE_URL (default the local
 * `semarize up`), authenticated with SEMARIZE_API_KEY. The key is never taken as a flag: it would
 * be left in shell history and process lists.
 */
export function connect(
  context: ClientCommandContext,
  baseUrlFlag: string | undefined,
): { client: Semarize; baseUrl: string } {
  const apiKey = context.env['SEMARIZE_API_KEY'];
  if (!apiKey) {
    throw new Error(
      'SEMARIZE_API_KEY is not set: export the key `semarize up` printed, or one from `semarize keys create`.',
    );
  }
  const baseUrl = baseUrlFlag || context.env['SEMARIZE_BASE_URL'] || DEFAULT_BASE_URL;
  return { client: new Semarize({ apiKey, baseUrl }), baseUrl };
}
