/**
 * `npm run eval`: checks every labelled case of corpus/ against the normaliser and the
 * deterministic engines, and prints the accuracy per measure, per format and per language, then
 * every expectation that failed. Exit code 1 when any failed (the corpus test fails CI then too).
 */
import { type Check, checkCase, readCorpus } from '../packages/server/test/support/corpus.ts';

const checks: Check[] = [];
for (const item of await readCorpus()) checks.push(...(await checkCase(item)));

function table(title: string, key: (check: Check) => string): void {
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
}

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
