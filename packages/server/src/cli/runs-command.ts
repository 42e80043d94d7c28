import { parseArgs } from 'node:util';
import { type RunStatus, type RunType, SemarizeError } from '@semarize/client';
import { type ClientCommandContext, connect } from './client-context.ts';
import { clientErrorMessage } from './client-error-message.ts';
import { parseDuration } from './duration.ts';
import { LIVE_STATUS_INTERVAL_MS, ProgressSpinner } from './progress-spinner.ts';
import { printRun, runListPrinter, runSummary } from './run-output.ts';

export const RUNS_USAGE = `usage: semarize runs get RUN_ID [--wait] [--json] [--timeout 10m]
       semarize runs list [--status STATUS] [--kit CODE] [--type api|sandbox] [--limit 20 | --all] [--json]
       semarize runs cancel RUN_ID [--json]`;

const STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const DEFAULT_LIST_LIMIT = 20;

/** `semarize runs get|list|cancel`, through the SDK against a running server. */
export async function runsCommand(args: string[], context: ClientCommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      wait: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      status: { type: 'string' },
      kit: { type: 'string' },
      type: { type: 'string' },
      limit: { type: 'string' },
      all: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
    },
  });
  const runId = positionals[0];
  if ((sub === 'get' || sub === 'cancel') && !runId) throw new Error(RUNS_USAGE);
  if (sub !== 'get' && sub !== 'cancel' && sub !== 'list') throw new Error(RUNS_USAGE);
  if (values.status !== undefined && !STATUSES.includes(values.status as RunStatus)) {
    throw new Error(`--status must be one of ${STATUSES.join(', ')}`);
  }
  if (values.type !== undefined && values.type !== 'api' && values.type !== 'sandbox') {
    throw new Error('--type must be api or sandbox');
  }
  const limit = values.all ? Number.POSITIVE_INFINITY : Number(values.limit ?? DEFAULT_LIST_LIMIT);
  if (!(limit >= 1) || (!values.all && !Number.isInteger(limit)))
    throw new Error('--limit must be a whole number ≥ 1');
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout);
  const { client, baseUrl } = connect(context, values['base-url']);

  const spinner = new ProgressSpinner(context.stderr);
  try {
    if (sub === 'cancel') {
      printRun(await client.runs.cancel(runId!), context.stdout, { json: values.json });
      return 0;
    }
    if (sub === 'get') {
      if (!values.wait) {
        printRun(await client.runs.get(runId!), context.stdout, { json: values.json });
        return 0;
      }
      spinner.start(`Waiting for ${runId}`);
      const run = await client.runs.wait(runId!, {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(spinner.enabled ? { progressIntervalMs: LIVE_STATUS_INTERVAL_MS } : {}),
        onProgress: (r) => spinner.update(`${r.run_id} ${r.status}`),
      });
      spinner.stop(context.stdout.isTTY ? undefined : runSummary(run));
      printRun(run, context.stdout, { json: values.json });
      return 0;
    }
    const print = runListPrinter(
      values.json ? { write: (text) => context.stdout.write(text) } : context.stdout,
    );
    let printed = 0;
    const runs = client.runs.list({
      limit: Math.min(100, limit),
      ...(values.status === undefined ? {} : { status: values.status as RunStatus }),
      ...(values.kit === undefined ? {} : { kit_code: values.kit }),
      ...(values.type === undefined ? {} : { run_type: values.type as RunType }),
    });
    for await (const run of runs) {
      print(run);
      if (++printed >= limit) break;
    }
    return 0;
  } catch (error) {
    spinner.stop();
    if (!(error instanceof SemarizeError)) throw error;
    context.stderr.write(clientErrorMessage(error, baseUrl));
    return 1;
  }
}
