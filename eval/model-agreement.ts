/**
 * `npm run eval -- --model`: the corpus's llm Bricks judged by a real model. Each case's llm Bricks
 * go in one call, as a Kit's would; each value is compared with its label by the rule samples are
 * counted with (valuesAgree), and the report gives agreement, tokens and latency. The model is the
 * one the server would use: the same settings, from the environment or flags (`semarize up --help`).
 */
import { ConfigError, loadConfig } from '../packages/server/src/config.ts';
import { normaliseInput } from '../packages/server/src/conversation/normalise-input.ts';
import { valuesAgree } from '../packages/server/src/engines/llm/combine-samples.ts';
import { createLlmEngine } from '../packages/server/src/engines/llm/llm-engine.ts';
import { RunFailure } from '../packages/server/src/errors/run-failure.ts';
import { addUsage, type Usage } from '../packages/server/src/evaluation/brick-result.ts';
import { readCorpus } from '../packages/server/test/support/corpus.ts';
import { llmBrick } from '../packages/server/test/support/corpus-llm.ts';

/** Prints the report; returns the exit code (1 when the model could not be reached or configured). */
export async function measureModel(argv: readonly string[]): Promise<number> {
  let config: ReturnType<typeof loadConfig>['config'];
  try {
    ({ config } = loadConfig(argv));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  if (!config.modelProvider || !config.model) {
    console.error(
      'No model configured: set SEMARIZE_MODEL_PROVIDER and SEMARIZE_MODEL (see README, "Language models").',
    );
    return 1;
  }
  const engine = createLlmEngine(config);
  let usage: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
  const latencies: number[] = [];
  let agreed = 0;
  let judged = 0;
  let failures = 0;
  console.log(
    `Model: ${config.modelProvider} ${config.model}${config.modelBaseUrl ? ` at ${config.modelBaseUrl}` : ''}\n`,
  );
  for (const item of await readCorpus()) {
    if (!item.llm?.length) continue;
    const bricks = item.llm.map((l) => llmBrick(l.brick));
    const { conversation, context } = normaliseInput(item.input);
    const started = performance.now();
    try {
      const output = await engine({
        bricks,
        conversation,
        context,
        model: {},
        workspaceId: 'eval',
        signal: new AbortController().signal,
      });
      latencies.push(performance.now() - started);
      usage = addUsage(usage, output.usage ?? usage);
      for (const [i, brick] of bricks.entries()) {
        const result = output.results[brick.key]!;
        const label = item.llm[i]!.label;
        const ok = valuesAgree(brick.output, result.value, label);
        judged++;
        if (ok) agreed++;
        console.log(
          `${ok ? '✓' : '✖'} ${item.id} ${brick.key}: ${JSON.stringify(result.value)} (label ${JSON.stringify(label)}, confidence ${result.confidence?.toFixed(2) ?? '–'})`,
        );
      }
    } catch (error) {
      latencies.push(performance.now() - started);
      failures++;
      if (error instanceof RunFailure && error.usage) usage = addUsage(usage, error.usage);
      const message = error instanceof RunFailure ? `${error.code}: ${error.message}` : String(error);
      console.log(`✖ ${item.id}: the call failed (${message})`);
      judged += bricks.length;
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  console.log(
    `\nAgreement with the labels: ${agreed} of ${judged} Bricks (${judged ? ((100 * agreed) / judged).toFixed(1) : '0.0'} %)` +
      `\nTokens: ${usage.input_tokens} in${usage.cached_input_tokens !== undefined ? ` (${usage.cached_input_tokens} from cache)` : ''}, ${usage.output_tokens} out, ${usage.model_calls} calls` +
      `\nLatency per case (one call per case, re-asks included): median ${at(0.5)} ms, max ${at(1)} ms over ${latencies.length} cases` +
      (failures ? `\n${failures} case${failures === 1 ? '' : 's'} failed` : ''),
  );
  return failures > 0 ? 1 : 0;
}
