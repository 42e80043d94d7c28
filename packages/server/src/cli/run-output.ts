import { type BrickResult, type FinishedRun, isActive, type Run } from '@semarize/client';
import type { OutputStream } from './client-context.ts';

/**
 * One run. Piped: one line of JSON, the API's run object. On a terminal: a finished run as a
 * readable report of its Bricks, any other run (or with `json`) as indented JSON.
 */
export function printRun(run: Run, out: OutputStream, options: { json?: boolean } = {}): void {
  if (!out.isTTY) out.write(`${JSON.stringify(run)}\n`);
  else if (options.json || isActive(run)) out.write(`${JSON.stringify(run, null, 2)}\n`);
  else out.write(runReport(run));
}

const VALUE_WIDTH = 48;

const clip = (text: string) => (text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text);

/** A Brick's value on one line: lists of words joined, anything else as JSON. */
function showValue(value: BrickResult['value']): string {
  if (typeof value === 'string') return clip(value.replace(/\s+/g, ' '));
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return clip(value.length === 0 ? '(none)' : value.join(', '));
  }
  return clip(JSON.stringify(value));
}

/** The terminal's view of a finished run: how it ended, then each Brick's value and confidence. */
export function runReport(run: FinishedRun): string {
  const lines = [runSummary(run)];
  const bricks: [string, BrickResult][] =
    run.status === 'succeeded' ? Object.entries(run.output?.bricks ?? {}) : [];
  if (bricks.length > 0) {
    const keyWidth = Math.max('BRICK'.length, ...bricks.map(([key]) => key.length));
    const values = bricks.map(([, result]) => showValue(result.value));
    const valueWidth = Math.max('VALUE'.length, ...values.map((v) => v.length));
    const row = (cells: string[]) =>
      `  ${cells[0]!.padEnd(keyWidth)}  ${cells[1]!.padEnd(valueWidth)}  ${cells[2]}`;
    lines.push('', row(['BRICK', 'VALUE', 'CONFIDENCE']));
    bricks.forEach(([key, result], i) => {
      lines.push(
        row([key, values[i]!, typeof result.confidence === 'number' ? result.confidence.toFixed(2) : '-']),
      );
    });
  }
  lines.push('', `  The whole run as JSON: npx semarize runs get ${run.run_id} --json`);
  return `${lines.join('\n')}\n`;
}

const COLUMNS = ['RUN_ID', 'STATUS', 'KIT', 'TYPE', 'CREATED', 'DURATION'];
const WIDTHS = [30, 10, 9, 8, 25, 0];

const row = (cells: string[]) =>
  `${cells
    .map((c, i) => c.padEnd(WIDTHS[i]!))
    .join(' ')
    .trimEnd()}\n`;

/** A list of runs, written as they arrive: a table on a terminal, JSON Lines when piped. */
export function runListPrinter(out: OutputStream): (run: Run) => void {
  if (!out.isTTY) return (run) => out.write(`${JSON.stringify(run)}\n`);
  out.write(row(COLUMNS));
  return (run) =>
    out.write(
      row([
        run.run_id,
        run.status,
        run.kit_code,
        run.run_type,
        run.created_at,
        run.duration_ms === null ? '-' : `${run.duration_ms} ms`,
      ]),
    );
}

/** The one-line outcome shown under the spinner on a terminal. */
export function runSummary(run: Run): string {
  switch (run.status) {
    case 'succeeded':
      return `✔ ${run.run_id} succeeded${run.duration_ms === null ? '' : ` in ${run.duration_ms} ms`}`;
    case 'failed':
    case 'cancelled':
      return `✖ ${run.run_id} ${run.status}: ${run.error_code} — ${run.error_message ?? ''}`.trimEnd();
    default:
      return `… ${run.run_id} is ${run.status}${run.sync_fallback ? ' (still going after the sync wait)' : ''}`;
  }
}
