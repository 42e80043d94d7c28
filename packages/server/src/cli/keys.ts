import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { createApiKey } from '../keys/create-api-key.ts';
import { openStore } from '../server.ts';
import { findOrCreateWorkspace } from '../workspaces/create-workspace.ts';
import { parseDuration } from './duration.ts';
import { storeCommandDeps } from './store-command-deps.ts';

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/** `semarize keys create|list|revoke`. */
export async function keysCommand(config: Readonly<Config>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      role: { type: 'string', default: 'runner' },
      test: { type: 'boolean', default: false },
      'expires-in': { type: 'string' },
      name: { type: 'string' },
    },
  });
  const store = openStore(config);
  const deps = storeCommandDeps(store, config);
  try {
    if (sub === 'create') {
      if (values.role !== 'admin' && values.role !== 'runner')
        throw new Error('--role must be admin or runner');
      const name = values.workspace ?? 'default';
      const { workspace, created } = await findOrCreateWorkspace(deps, name, config.kitsDir);
      if (created) process.stderr.write(`Created workspace "${name}" with the starter Kits.\n`);
      const expiresInMs = values['expires-in'] ? parseDuration(values['expires-in']) : null;
      const { secret, record } = await createApiKey(deps, {
        workspaceId: workspace.id,
        mode: values.test ? 'test' : 'live',
        role: values.role,
        name: values.name ?? null,
        expiresInMs,
      });
      process.stderr.write(
        `Key ${record.id} (${record.role}, ${record.mode}) for workspace "${name}". Shown once:\n`,
      );
      process.stdout.write(`${secret}\n`);
      return 0;
    }
    if (sub === 'list') {
      const workspace = values.workspace ? await store.workspaceGetByName(values.workspace) : null;
      if (values.workspace && !workspace) throw new Error(`no workspace "${values.workspace}"`);
      const keys = await store.apiKeyList(workspace?.id ?? null);
      process.stdout.write('ID\tHINT\tROLE\tMODE\tCREATED\tEXPIRES\tREVOKED\tNAME\n');
      for (const k of keys) {
        process.stdout.write(
          `${k.id}\t${k.hint}\t${k.role}\t${k.mode}\t${iso(k.createdAt)}\t${iso(k.expiresAt)}\t${iso(k.revokedAt)}\t${k.name ?? ''}\n`,
        );
      }
      return 0;
    }
    if (sub === 'revoke') {
      const keyId = positionals[0];
      if (!keyId) throw new Error('usage: semarize keys revoke KEY_ID');
      if (!(await store.apiKeyRevokeUnscoped(keyId, deps.clock.now())))
        throw new Error(`no active key ${keyId}`);
      process.stderr.write(`Revoked ${keyId}.\n`);
      return 0;
    }
    throw new Error('usage: semarize keys create|list|revoke');
  } finally {
    await store.close();
  }
}
