import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const PACKAGE = join(import.meta.dirname, '..');
const CONSUMER = join(import.meta.dirname, 'fixtures/consumer');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** Type-checks a consumer project; resolves with tsc's output so a failure shows the errors. */
async function typeCheck(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [TSC, '-p', join(CONSUMER, project)], { cwd: ROOT });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}${e.stderr}` };
  }
}

let t: TestServer;

beforeAll(async () => {
  // The build that `npm publish` runs (prepack); consumers import it through the package name.
  await run('npm', ['run', 'build', '-w', '@semarize/client'], { cwd: ROOT });
  t = await startTestServer();
});
afterAll(async () => t?.close());

describe('the published package', () => {
  it('is ESM JavaScript with declarations, every relative import pointing at a .js file', async () => {
    const files = await readdir(join(PACKAGE, 'dist'), { recursive: true });
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'webhooks/verify.js']));
    for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const text = await readFile(join(PACKAGE, 'dist', file), 'utf8');
      expect(text, file).not.toMatch(/from ['"]\.{1,2}\/[^'"]+\.ts['"]/);
    }
    const pkg = JSON.parse(await readFile(join(PACKAGE, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['dependencies']).toBeUndefined();
  });

  it('type-checks a Node program and an edge webhook receiver written against it', async () => {
    expect(await typeCheck('tsconfig.node.json')).toEqual({ code: 0, output: '' });
    expect(await typeCheck('tsconfig.edge.json')).toEqual({ code: 0, output: '' });
  });

  it('runs: the Node program creates, waits for and lists a run on a real server', async () => {
    const { stdout } = await run(process.execPath, [join(CONSUMER, 'node-program.ts')], {
      env: { ...process.env, SEMARIZE_API_KEY: t.liveKey, SEMARIZE_BASE_URL: t.url },
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ status: 'succeeded', questions: 1, listed: 1 }); // the Rep's one
    expect(typeof result['talk_ratio']).toBe('number');
  });
});
