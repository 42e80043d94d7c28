import type { BrickVersionRecord } from './records.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** One Brick version as the API shows it: its whole definition, plus when it was created. */
export function brickView(record: BrickVersionRecord) {
  const { key, version, name, description, output, evidence, confidence, sources, engine, metric, tracker } =
    record.definition;
  return {
    object: 'brick' as const,
    key,
    version,
    name,
    description,
    output,
    evidence,
    confidence,
    sources,
    engine,
    ...(metric ? { metric } : {}),
    ...(tracker ? { tracker } : {}),
    created_at: iso(record.createdAt),
  };
}

/** A Brick version with the summary of every version of that Brick (newest first). */
export function brickDetail(record: BrickVersionRecord, versions: readonly BrickVersionRecord[]) {
  return {
    ...brickView(record),
    versions: versions.map((v) => ({
      version: v.version,
      name: v.definition.name,
      created_at: iso(v.createdAt),
    })),
  };
}
