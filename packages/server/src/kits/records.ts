import type { BrickDefinition } from './brick.ts';

/** Bricks, Kits and Kit versions as the rest of the server sees them (times in ms since the epoch). */

export interface BrickVersionRecord {
  id: string;
  workspaceId: string;
  key: string;
  version: number;
  definition: BrickDefinition;
  createdAt: number;
}

export interface KitRecord {
  id: string;
  workspaceId: string;
  code: string;
  name: string;
  createdAt: number;
}

/** Model settings a Kit may set; empty fields fall back to the server's configuration. */
export interface KitModelSettings {
  provider?: string;
  model?: string;
  /** Fail the whole run when any llm Brick cannot be judged, rather than return it with an error. */
  fail_on_brick_error?: boolean;
  /** Sampling temperature of the model calls; 0 when unset (0.7 with more than one sample). */
  temperature?: number;
  /** How many times the Bricks are judged, for self-consistency (SPEC §11.5); 1 when unset. */
  samples?: number;
  /** Reuse the output of an earlier identical succeeded run instead of calling the model (SPEC §11.5). */
  reuse?: boolean;
}

export type KitVersionStatus = 'draft' | 'published';

/** One immutable Kit version: a snapshot of its Bricks, each pinned to a Brick version. */
export interface KitVersionRecord {
  id: string;
  kitId: string;
  kitCode: string;
  workspaceId: string;
  version: number;
  status: KitVersionStatus;
  name: string;
  description: string;
  model: KitModelSettings;
  bricks: BrickDefinition[];
  createdAt: number;
  publishedAt: number | null;
}
