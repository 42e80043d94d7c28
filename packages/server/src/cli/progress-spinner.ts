import type { OutputStream } from './client-context.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/** How often a wait behind the spinner asks for the run's live status (SDK `progressIntervalMs`). */
export const LIVE_STATUS_INTERVAL_MS = 1_000;

/**
 * A one-line spinner with a status and the elapsed time, for terminals only: on a pipe it writes
 * nothing, so redirected output stays clean.
 */
export class ProgressSpinner {
  readonly #out: OutputStream;
  readonly #now: () => number;
  #status = '';
  #frame = 0;
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(out: OutputStream, now: () => number = Date.now) {
    this.#out = out;
    this.#now = now;
  }

  get enabled(): boolean {
    return this.#out.isTTY === true;
  }

  start(status: string): void {
    if (!this.enabled) return;
    this.#status = status;
    this.#startedAt = this.#now();
    this.#render();
    this.#timer = setInterval(() => this.#render(), 80);
    this.#timer.unref?.();
  }

  update(status: string): void {
    this.#status = status;
    if (this.#timer) this.#render();
  }

  /** Clears the spinner line, leaving `finalLine` in its place when given. */
  stop(finalLine?: string): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
    this.#out.write(`${CLEAR_LINE}${finalLine === undefined ? '' : `${finalLine}\n`}`);
  }

  #render(): void {
    const seconds = Math.floor((this.#now() - this.#startedAt) / 1_000);
    this.#frame = (this.#frame + 1) % FRAMES.length;
    this.#out.write(`${CLEAR_LINE}${FRAMES[this.#frame]} ${this.#status} (${seconds}s)`);
  }
}
