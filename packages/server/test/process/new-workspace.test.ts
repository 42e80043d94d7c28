/**
 * `semarize keys create --workspace NEW` makes a workspace that works like the first one: it has
 * the starter Kits under their own codes (SPEC §9.2), so the README's first request works with
 * the new key against a running server.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../support/child-server.ts';
import { createClient } from '../support/http-client.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/semarize.js');
let dataDir: string;
let server: ChildServer | null = null;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'semarize-new-workspace-'));
});
afterAll(async () => {
  if (server) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('a workspace created from the command line', () => {
  it('has the starter Kits, and its key runs A1B2C3D4 as the first workspace does', async () => {
    const env = { ...process.env, DATABASE_URL: '', SEMARIZE_DATA_DIR: dataDir };
    const created = await run(
      process.execPath,
      [BIN, 'keys', 'create', '--workspace', 'acme', '--role', 'admin'],
      {
        env,
      },
    );
    expect(created.stderr).toContain('Created workspace "acme" with the starter Kits');
    const key = created.stdout.trim();

    server = await spawnServer({ SEMARIZE_DATA_DIR: dataDir, SEMARIZE_TEST_ROLE: 'serve' });
    const api = createClient(server.url, key);
    const kits = await api<{ data: { kit_code: string }[] }>('/v1/kits');
    expect(kits.body.data.map((k) => k.kit_code)).toEqual(expect.arrayContaining(['A1B2C3D4', 'D1SC0VRY']));
    const checked = await api('/v1/test', {
      body: {
        kit_code: 'A1B2C3D4',
        input: { transcript: 'Rep: Any questions?\nProspect: What does it cost?' },
      },
    });
    expect(checked.status, checked.text).toBe(200);
  });
});
