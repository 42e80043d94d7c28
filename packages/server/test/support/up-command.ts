import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BIN = join(import.meta.dirname, '../../bin/semarize.js');

/** A real `semarize up` (bin/semarize.js, first-start bootstrap and banner included). */
export interface UpCommand {
  child: ChildProcess;
  /** Its base URL, from the listen log line (logged before the bootstrap starts). */
  url: Promise<string>;
  /** Everything it wrote to stdout (JSON log lines) so far. */
  logs: string[];
  /** Everything it wrote to stderr (the banner) so far. */
  stderr(): string;
  exited: Promise<unknown[]>;
}

/**
 * Starts `semarize up` on the embedded store of `dataDir` on an ephemeral port, logging at info.
 * `entry` runs another entry point than bin/semarize.js (a compiled `cli/main.js`), with `nodeFlags`.
 */
export function startUpCommand(
  dataDir: string,
  kitsDir: string,
  options: { entry?: string; nodeFlags?: string[] } = {},
): UpCommand {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.entry ?? BIN, 'up'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      SEMARIZE_DATA_DIR: dataDir,
      SEMARIZE_KITS_DIR: kitsDir,
      PORT: '0',
      SEMARIZE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const logs: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`server exited:\n${stderr}`)));
  });
  return { child, url, logs, stderr: () => stderr, exited };
}
