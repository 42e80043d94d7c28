import type { LogFn, Logger } from '../../src/logger.ts';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  message: string | undefined;
}

/** A Logger that keeps what it is told, for tests that check what a service logged. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const method =
    (level: LogEntry['level']): LogFn =>
    (first: object | string, message?: string) => {
      if (typeof first === 'string') entries.push({ level, bindings: {}, message: first });
      else entries.push({ level, bindings: first as Record<string, unknown>, message });
    };
  return {
    entries,
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
}
