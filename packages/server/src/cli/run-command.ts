import { parseArgs } from 'node:util';
import { isActive, type Run, SemarizeError } from '@semarize/client';
import { type ClientCommandContext, connect } from './client-context.ts';
import { clientErrorMessage } from './client-error-message.ts';
import { parseDuration } from './duration.ts';
import { LIVE_STATUS_INTERVAL_MS, ProgressSpinner } from './progress-spinner.ts';
import { readRunInput } from './read-run-input.ts';
import { printRun, runSummary } from './run-output.ts';

export const RUN_USAGE =
  'usage: semarize run --kit CODE --input FILE|- [--sync] [--wait] [--json] [--timeout 10m] [--idempotency-key KEY] [--base-url URL]';

/**
 * `semarize run`: creates a run and prints it. `--sync` asks the server to wait for the result
 * (it may answer a still-running run, `sync_fallback`); `--wait` waits until the run finished,
 * continuing with long polls after a fallback. A finished run is a report of its Bricks on a
 * terminal, JSON when piped or with `--json`. Exit code 1 when a run waited for failed or was
 * cancelled, so scripts can branch on it.
 */
export async function runCommand(args: string[], context: ClientCommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kit: { type: 'string' },
      input: { type: 'string' },
      sync: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'idempotency-key': { type: 'string' },
      'base-url': { type: 'string' },
    },
  });
  if (!values.kit || !values.input) throw new Error(RUN_USAGE);
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout);
  const input = await readRunInput(values.input, context);
  const { client, baseUrl } = connect(context, values['base-url']);
  const params = { kit_code: values.kit, input, mode: values.sync ? ('sync' as const) : ('async' as const) };
  const options = {
    ...(values['idempotency-key'] === undefined ? {} : { idempotencyKey: values['idempotency-key'] }),
  };

  const spinner = new ProgressSpinner(context.stderr);
  try {
    let run: Run;
    if (values.wait) {
      spinner.start(`Running Kit ${values.kit}`);
      run = await client.runs.createAndWait(params, {
        ...options,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        // Long polls cut to a second, so the spinner shows the live status, not the creation's.
        ...(spinner.enabled ? { progressIntervalMs: LIVE_STATUS_INTERVAL_MS } : {}),
        onProgress: (r) => spinner.update(`${r.run_id} ${r.status}`),
      });
    } else {
      if (values.sync) spinner.start(`Running Kit ${values.kit} (the server waits for the result)`);
      run = await client.runs.create(params, options);
    }
    // On a terminal stdout shows the outcome itself; the line under the spinner is for `> file`.
    const outcomeOnStderr = spinner.enabled && (values.wait || values.sync) && !context.stdout.isTTY;
    spinner.stop(outcomeOnStderr ? runSummary(run) : undefined);
    printRun(run, context.stdout, { json: values.json });
    if (isActive(run) && values.sync) {
      context.stderr.write(
        `The run is still ${run.status} after the server's sync wait; follow it with: semarize runs get ${run.run_id} --wait\n`,
      );
    }
    const waited = values.wait || values.sync;
    return waited && (run.status === 'failed' || run.status === 'cancelled') ? 1 : 0;
  } catch (error) {
    spinner.stop();
    if (!(error instanceof SemarizeError)) throw error;
    context.stderr.write(clientErrorMessage(error, baseUrl));
    return 1;
  }
}
