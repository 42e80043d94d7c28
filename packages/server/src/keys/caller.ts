import type { KeyMode, KeyRole } from './records.ts';

/** Who is calling: the authenticated API key, reduced to what decisions need. */
export interface Caller {
  keyId: string;
  workspaceId: string;
  mode: KeyMode;
  role: KeyRole;
}

/** Run types a caller may see: test keys only sandbox runs (SPEC §3.8). */
export function visibleRunTypes(caller: Caller): readonly ('api' | 'sandbox')[] {
  return caller.mode === 'test' ? ['sandbox'] : ['api', 'sandbox'];
}
