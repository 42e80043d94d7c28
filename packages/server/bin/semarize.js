#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size: see docs/decisions.md (memory with many runs in flight); V8 reads it only at start.
// The compiled build (dist/, made by `npm install` and `npm run build`) when it was built from the
// sources as they are; otherwise the TypeScript sources, which Node 24 runs directly, so an edit is
// never run stale. The build exists for memory: see docs/decisions.md, "The server runs compiled".
import { join } from 'node:path';
import { buildIsCurrent } from './sources-stamp.js';

// Run directly (`packages/server/bin/semarize.js`), the shebang finds the machine's own node, which
// may be older than the server needs (node:sqlite, TypeScript); npm and npx use the pinned Node 24.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `semarize needs Node 24 or newer; this is Node ${process.versions.node}.\n` +
      'Run it as `npx semarize …` or `npm run semarize -- …` from the project: they use the Node 24 it installs.\n',
  );
  process.exit(1);
}

const server = join(import.meta.dirname, '..');
const compiled = buildIsCurrent(join(server, 'src'), join(server, 'dist'));
await import(compiled ? '../dist/cli/main.js' : '../src/cli/main.ts');
