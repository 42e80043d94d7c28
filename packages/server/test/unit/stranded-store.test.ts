import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refuseStrandedStore } from '../../src/cli/stranded-store.ts';
import { ConfigError } from '../../src/config.ts';

describe('a store left where npm start kept it before', () => {
  let root: string;
  let defaults: { dataDir: string; oldDataDir: string; root: string };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'semarize-install-'));
    defaults = {
      root,
      dataDir: join(root, '.semarize'),
      oldDataDir: join(root, 'packages/server/.semarize'),
    };
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));
  const put = async (dir: string) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'semarize.db'), '');
  };

  it('refuses to start a new default store beside it, saying how to move it', async () => {
    await put(defaults.oldDataDir);
    const check = () => refuseStrandedStore(defaults.dataDir, defaults);
    expect(check).toThrow(ConfigError);
    expect(check).toThrow(`in ${root}: mv packages/server/.semarize .semarize`);
  });

  it('says nothing without an old store, once the default store exists, or for another data dir', async () => {
    expect(() => refuseStrandedStore(defaults.dataDir, defaults)).not.toThrow();
    await put(defaults.oldDataDir);
    expect(() => refuseStrandedStore(join(root, 'elsewhere'), defaults)).not.toThrow();
    await put(defaults.dataDir);
    expect(() => refuseStrandedStore(defaults.dataDir, defaults)).not.toThrow();
  });
});
