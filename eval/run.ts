/**
 * `npm run eval`: checks every labelled case of corpus/ against the normaliser, the deterministic
 * engines and the llm engine's grounding of fixed model answers (through a fake model on loopback),
 * and prints the accuracy per measure, per format and per language, then every expectation that
 * failed. Exit code 1 when any failed (the corpus test fails CI then too).
 *
 * `npm run eval -- --model`: runs the corpus's llm Bricks against the model the server is configured
 * with (SEMARIZE_MODEL_PROVIDER, SEMARIZE_MODEL, SEMARIZE_MODEL_BASE_URL, SEMARIZE_MODEL_API_KEY, …)
 * and reports agreement with the labels, token cost and latency (eval/model-agreement.ts).
 */

import { type Check, checkCase, readCorpus } from '../packages/server/test/support/corpus.ts';
import { startFixedAnswerJudge } from '../packages/server/test/support/corpus-llm.ts';

if (process.argv.includes('--model')) {
  const { measureModel } = await import('./model-agreement.ts');
  process.exitCode = await measureModel(process.argv.slice(2).filter((arg) => arg !== '--model'));
} else {
  const checks: Check[] = [];
  const judge = await startFixedAnswerJudge();
  try {
    for (const item of await readCorpus()) checks.push(...(await checkCase(item, judge)));
  } finally {
    await judge.close();
  }
  report(checks);
}

function report(checks: Check[]): void {
  const table = (title: string, key: (check: Check) => string) => {
    const groups = new Map<string, Check[]>();
    for (const check of checks) groups.set(key(check), [...(groups.get(key(check)) ?? []), check]);
    console.log(`\n${title.padEnd(20)} passed / checks   accuracy`);
    for (const [name, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const passed = group.filter((check) => check.pass).length;
      const percent = ((100 * passed) / group.length).toFixed(1);
      console.log(
        `${name.padEnd(20)} ${String(passed).padStart(6)} / ${String(group.length).padEnd(6)} ${percent.padStart(7)} %`,
      );
    }
  };
  table('measure', (check) => check.kind);
  table('format', (check) => check.format);
  table('language', (check) => check.language);
  const failed = checks.filter((check) => !check.pass);
  const passed = checks.length - failed.length;
  console.log(
    `\n${passed} of ${checks.length} expectations hold (${((100 * passed) / checks.length).toFixed(1)} %).`,
  );
  for (const check of failed) {
    console.log(
      `\n✖ ${check.caseId} — ${check.label}\n  expected ${JSON.stringify(check.expected)}\n  actual   ${JSON.stringify(check.actual)}`,
    );
  }
  process.exitCode = failed.length > 0 ? 1 : 0;
}
