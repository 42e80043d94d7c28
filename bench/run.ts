/**
 * `npm run bench`: runs every benchmark and writes docs/benchmarks.md. Figures are ratios against a
 * baseline measured in the same run; nothing here is a test.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureTokenRatio } from './token-ratio.ts';
import { measureWebhookDelivery } from './webhook-delivery.ts';

const rows = await measureTokenRatio();
const hooks = await measureWebhookDelivery({ runs: 200, backlog: 2_000 });
const fmt = (n: number) => n.toFixed(2);
const table = [
  '| Conversation | Transcript tokens | Input tokens sent | Model calls | Input ÷ transcript | One call per Brick would be |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.transcriptTokens} | ${r.inputTokens} | ${r.modelCalls} | **${fmt(r.ratio)}×** | ${fmt(r.perBrickRatio)}× |`,
  ),
].join('\n');

const doc = `# Benchmarks

Measured by \`npm run bench\` (\`bench/run.ts\`) on this repository's machine; every figure is a ratio or a
count from one run, never a wall-clock promise. Re-run it after changing anything on the measured path.

## Model input per run (llm engine, 10-Brick Kit)

Input tokens the server sends to the model for one run, divided by the tokens of the run's transcript.
The server batches all llm Bricks of a Kit into one structured-output call, so the transcript is sent
once; the rest is the instructions, the ten rubrics and the JSON schema of the answer. Goal: ≤ 1.3× for
a real call (30 minutes at 150 spoken words a minute). Tokens are estimated at 4 characters each for both sides of the ratio, from what reached
the (fake) model server: message text plus the response schema.

${table}

The fixed part (instructions, rubrics, schema) is about ${rows[0] ? rows[0].inputTokens - rows[0].transcriptTokens : 0} tokens for ten Bricks, so the ratio
approaches 1 as calls get longer; for a one-minute exchange the fixed part dominates, as it would with any
prompt. Without batching, one call per Brick would send the transcript ten times.

## Webhook delivery (embedded SQLite store)

One process runs the server, its dispatcher and a loopback receiver that answers 200 at once. The
baseline is the same body POSTed by a bare Node HTTP client to the same receiver, measured in the same
run: the floor any delivery pays on this machine.

| Measure | Semarize | Baseline (bare POST) | Goal |
|---|---:|---:|---:|
| Terminal → receiver latency, p50 (${hooks.runs} runs, one at a time) | ${hooks.latencyP50} ms | ${fmt(hooks.baselineP50)} ms | ≤ 50 ms |
| Terminal → receiver latency, p99 | ${hooks.latencyP99} ms | ${fmt(hooks.baselineP99)} ms | |
| Backlog drain, deliveries/s (${hooks.backlog} queued while the receiver was down, ${hooks.concurrency} at once) | ${Math.round(hooks.deliveriesPerSecond)} | ${Math.round(hooks.baselinePerSecond)} | ≥ 1,000 |
| Ratio to baseline throughput | **${fmt(hooks.deliveriesPerSecond / hooks.baselinePerSecond)}×** | 1× | |

Latency is measured from the event's \`created_at\` (the terminal transition, millisecond resolution) to
the receiver reading the request. The dispatcher is woken by the transition itself, so there is no poll
interval in it. Each delivery also reads the run, signs the body twice (Semarize and Standard Webhooks)
and records the attempt in its own transaction, which is what the gap to the bare POST pays for.
`;

await writeFile(join(import.meta.dirname, '../docs/benchmarks.md'), doc);
console.log(table);
console.log(hooks);
