import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requestedKeys } from '../support/fake-model-server.ts';
import { useFakeModel } from '../support/use-fake-model.ts';

/**
 * `npm run eval -- --model` against a model the way a user points it at theirs: the provider
 * settings in the environment, here the fake model server on loopback (no real model is reachable).
 */
const ROOT = join(import.meta.dirname, '../../../..');
const run = promisify(execFile);

// What this "model" answers per Brick key: all labels but one (agreed_to_buy is false in the corpus).
const VALUES: Record<string, unknown> = {
  next_step: true,
  budget: 40_000,
  objection_phrases: ['it felt heavy'],
  meeting_day: 'tuesday',
  agreed_to_buy: true,
  follow_up_month: 'july',
  tools_named: ['Outreach', 'HubSpot', 'Gong'],
  stakeholders: ['Will', 'IT', 'US office'],
};

const fake = useFakeModel((request) => ({
  answer: Object.fromEntries(
    requestedKeys(request).map((key) => [
      key,
      { evidence: [], reason: 'Judged.', value: VALUES[key] ?? null, confidence: 0.8 },
    ]),
  ),
  usage: { input: 1_000, output: 100, cached: 600 },
}));

describe('npm run eval -- --model', () => {
  it('judges the corpus llm Bricks with the configured provider and reports agreement, tokens and latency', async () => {
    const { stdout } = await run(process.execPath, ['eval/run.ts', '--model'], {
      cwd: ROOT,
      env: {
        ...process.env,
        SEMARIZE_MODEL_PROVIDER: 'openai-compatible',
        SEMARIZE_MODEL: 'local-test-model',
        SEMARIZE_MODEL_BASE_URL: fake.baseUrl,
        SEMARIZE_MODEL_MAX_RETRIES: '0',
      },
    });
    // One call per case, all of its llm Bricks in it, as a Kit's run would make.
    expect(fake.requests.length).toBe(4);
    expect(fake.requests.every((r) => r.body['model'] === 'local-test-model')).toBe(true);
    expect(stdout).toContain('✖ llm-not-ready-email-en agreed_to_buy: true (label false');
    expect(stdout).toContain('✓ llm-next-step-call-en budget: 40000 (label 40000');
    expect(stdout).toContain(
      '✓ adv-tracker-case-sensitive-vendor-en tools_named: ["Outreach","HubSpot","Gong"]',
    );
    expect(stdout).toContain('✓ adv-llm-function-word-names-en stakeholders: ["Will","IT","US office"]');
    expect(stdout).toContain('Agreement with the labels: 7 of 8 Bricks (87.5 %)');
    expect(stdout).toContain('Tokens: 4000 in (2400 from cache), 400 out, 4 calls');
    expect(stdout).toMatch(
      /Latency per case \(one call per case, re-asks included\): median \d+ ms, max \d+ ms over 4 cases/,
    );
  });

  it('says what to set, and exits 1, when no model is configured', async () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('SEMARIZE_MODEL')),
    );
    const failed = await run(process.execPath, ['eval/run.ts', '--model'], { cwd: ROOT, env }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('set SEMARIZE_MODEL_PROVIDER and SEMARIZE_MODEL');
  });
});
