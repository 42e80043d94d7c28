/**
 * Benchmark: input tokens a run sends to the model, divided by the tokens of its transcript, for a
 * 10-Brick llm Kit. Batching sends the transcript once per Kit; one call per Brick would send it ten
 * times. Runs the real server against the fake model server and counts what reached it: message
 * text plus the structured-output schema, at 4 characters a token (the same estimate for both sides
 * of the ratio).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../packages/server/src/clock.ts';
import { createIdGenerator } from '../packages/server/src/ids.ts';
import { applyKitFile } from '../packages/server/src/kits/apply-kit-file.ts';
import { PUBLIC_ENGINES } from '../packages/server/src/kits/brick.ts';
import { parseKitFile } from '../packages/server/src/kits/kit-file.ts';
import { openStore, startServer } from '../packages/server/src/server.ts';
import {
  estimateTokens,
  promptText,
  startFakeModelServer,
} from '../packages/server/test/support/fake-model-server.ts';
import { createClient } from '../packages/server/test/support/http-client.ts';
import { answerEvery } from '../packages/server/test/support/model-answers.ts';
import { seedStore } from '../packages/server/test/support/seed.ts';
import { testConfig } from '../packages/server/test/support/test-config.ts';

const TEN_BRICKS = `
kit: { code: BNCH1000, name: Ten llm Bricks }
bricks:
${[
  [
    'pain_is_specific',
    'score',
    'How specific is the pain the prospect described: who is affected, how often, what it costs.',
  ],
  ['next_step_confirmed', 'boolean', 'Both sides agreed to a dated next step.'],
  ['budget_discussed', 'boolean', 'Budget, pricing expectations or spending authority came up in substance.'],
  ['decision_maker_identified', 'boolean', 'The person who signs was named or described.'],
  ['timeline_known', 'boolean', 'A date or quarter by which the prospect must decide was stated.'],
  ['competitor_in_deal', 'boolean', 'Another vendor is being evaluated.'],
  ['rep_listened', 'score', 'The rep asked open questions and let the prospect talk.'],
  ['champion_present', 'boolean', 'Someone on the prospect side is actively selling internally for us.'],
  ['security_review_needed', 'boolean', 'A security or compliance review is part of the process.'],
  ['summary', 'text', 'Two sentences a sales manager can read before the next call.'],
]
  .map(
    ([key, type, rubric]) =>
      `  - { key: ${key}, name: ${key}, description: "${rubric}", engine: llm, output: { type: ${type} } }`,
  )
  .join('\n')}
`;

const REP = [
  'Walk me through how your team handles call notes today, step by step, from the moment a call ends.',
  'What happens to the forecast when a rep misses an update in the CRM, and who notices first?',
  'Who else would need to be involved before you could make a change like this, and what do they care about?',
  'If nothing changes this quarter, what does that cost the team, in hours or in deals that slip?',
  'How did you evaluate tools the last time you bought something for the sales team?',
  'That makes sense. Can you give me a recent example where a deal slipped because of it?',
  'And how are managers coaching reps today, do they listen to calls or read the notes?',
];
const PROSPECT = [
  'Right now every rep writes notes by hand after each call, usually at the end of the day, and a lot gets lost in between.',
  'Our VP of Sales rebuilds the forecast every Monday from spreadsheets because the CRM is always about a week behind reality.',
  'Procurement gets involved above twenty thousand dollars, and security always wants to review anything that touches recordings.',
  'We estimated around six hours per rep per week, and with forty reps that is basically a full team doing admin work.',
  'Last time we ran a two-week pilot with three reps, and then the CFO signed once legal had cleared the data terms.',
  'Honestly the managers mostly skim notes, and when a deal goes sideways nobody can say what was actually promised on the call.',
  'Two quarters ago we lost a renewal because the champion left and nobody had written down who else was involved.',
];

/** A discovery call of about `minutes` minutes at 150 spoken words a minute, turns of 1–3 sentences. */
function transcriptOf(minutes: number): string {
  const targetWords = minutes * 150;
  const lines: string[] = [];
  let words = 0;
  for (let i = 0; words < targetWords; i++) {
    const pool = i % 2 === 0 ? REP : PROSPECT;
    const sentences = Array.from({ length: 1 + (i % 3) }, (_, k) => pool[(i * 3 + k) % pool.length]!);
    const line = `${i % 2 === 0 ? 'Rep' : 'Prospect'}: ${sentences.join(' ')}`;
    lines.push(line);
    words += line.split(/\s+/).length;
  }
  return lines.join('\n');
}

export interface TokenRatioRow {
  label: string;
  transcriptTokens: number;
  inputTokens: number;
  modelCalls: number;
  ratio: number;
  perBrickRatio: number;
}

export async function measureTokenRatio(): Promise<TokenRatioRow[]> {
  const fake = await startFakeModelServer((request) => ({
    answer: answerEvery(request, {}, { value: null, confidence: 0.5, reason: 'Benchmark.', evidence: [] }),
  }));
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-bench-'));
  const config = {
    ...testConfig(dataDir),
    modelProvider: 'openai',
    model: 'bench-model',
    modelBaseUrl: fake.baseUrl,
    modelApiKey: 'sk-bench',
  };
  const store = openStore(config);
  const { liveKey } = await seedStore(store);
  const workspace = (await store.workspaceGetByName('default'))!;
  await applyKitFile(
    {
      store,
      clock: systemClock,
      ids: createIdGenerator(systemClock),
      engines: new Set<string>(PUBLIC_ENGINES),
      config,
    },
    workspace.id,
    parseKitFile(TEN_BRICKS, 'ten-bricks.yaml'),
    'ten-bricks.yaml',
    { publish: true },
  );
  await store.close();
  const server = await startServer({ config, roles: { http: true, executor: true } });
  const api = createClient(server.url!, liveKey);
  const rows: TokenRatioRow[] = [];
  try {
    for (const [label, minutes] of [
      ['60-minute call (~9,000 words)', 60],
      ['30-minute call (~4,500 words)', 30],
      ['10-minute call (~1,500 words)', 10],
      ['1-minute exchange (~150 words)', 1],
    ] as const) {
      fake.requests.length = 0;
      const transcript = transcriptOf(minutes);
      const res = await api('/v1/runs', {
        body: { kit_code: 'BNCH1000', mode: 'sync', input: { transcript } },
      });
      if (res.body['status'] !== 'succeeded') throw new Error(`bench run ${res.body['status']}: ${res.text}`);
      const inputTokens = fake.requests.reduce(
        (sum, r) =>
          sum +
          estimateTokens(promptText(r)) +
          estimateTokens(JSON.stringify(r.body['response_format'] ?? {})),
        0,
      );
      const transcriptTokens = estimateTokens(transcript);
      // One call per Brick would send the transcript and the instructions ten times.
      const perBrickRatio =
        (10 * (transcriptTokens + (inputTokens - transcriptTokens) / 10)) / transcriptTokens;
      rows.push({
        label,
        transcriptTokens,
        inputTokens,
        modelCalls: fake.requests.length,
        ratio: inputTokens / transcriptTokens,
        perBrickRatio,
      });
    }
  } finally {
    await server.close();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}
