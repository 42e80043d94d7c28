import { pino } from 'pino';

/** One log method, as pino (and so Fastify's `app.log`) takes it: bindings first, or a message. */
export interface LogFn {
  (bindings: object, message?: string): void;
  (message: string): void;
}

/**
 * The project's logger: the pino methods the code calls. Background services take this, not
 * Fastify's logger, so a process without HTTP (`semarize work`) needs no Fastify app; an HTTP
 * process hands them `app.log`, which is one.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/**
 * The logger of a process without an HTTP app: pino with the level and destination Fastify would
 * have been given, so `work` writes the same JSON lines `up` does.
 */
export function createLogger(options: { level: string; stream?: NodeJS.WritableStream | undefined }): Logger {
  return pino({ level: options.level }, options.stream);
}
