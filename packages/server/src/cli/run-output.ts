import type { Run } from '../../../client/src/index.ts';
import type { OutputStream } from './client-context.ts';

/** One run: indented JSON on a terminal, one line of plain JSON when piped. */
export function printRun(run: Run, out: OutputStream): void {
  out.write(out.isTTY ? `${JSON.stringify(run, null, 2)}\n` : `${JSON.stringify(run)}\n`);
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
