import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createIdGenerator } from '../ids.ts';
import { PUBLIC_ENGINES } from '../kits/brick.ts';
import type { Store } from '../store/store.ts';
import type { WorkspaceDeps } from '../workspaces/create-workspace.ts';

/**
 * What the commands that open the store themselves (`up`'s first-start bootstrap, `keys`,
 * `kits apply`) give the workspace, key and Kit use cases: the system clock, the engines a Brick
 * may name, and the configured Kit limits.
 */
export function storeCommandDeps(store: Store, config: Readonly<Config>): WorkspaceDeps {
  return {
    store,
    clock: systemClock,
    ids: createIdGenerator(systemClock),
    engines: new Set<string>(PUBLIC_ENGINES),
    config,
  };
}
