import { join } from 'node:path';
import { buildServerCopy } from '../../scripts/build.ts';

/**
 * Compiles the server and its test fixture (scripts/build.ts, into `<repo>/.build/<name>`), and
 * makes every later spawnServer/spawnService of this process run that build: what `npm start` and
 * the image run, without Node's type stripper in any thread. For the benchmarks and the chaos
 * suite, which measure the server as deployed; tests run the sources. Returns the fixture's path.
 */
export function useCompiledServer(name: string): string {
  const root = buildServerCopy(name, ['test/support/server-process.ts']);
  const fixture = join(root, 'test/support/server-process.js');
  process.env['SEMARIZE_TEST_FIXTURE'] = fixture;
  return fixture;
}
