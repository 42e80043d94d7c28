#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size: see docs/decisions.md (memory with many runs in flight); V8 reads it only at start.
// Node 24 runs the TypeScript sources directly (type stripping).
import '../src/cli/main.ts';
