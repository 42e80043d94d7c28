import { kitOutputJsonSchema } from './output-schema.ts';
import type { KitRecord, KitVersionRecord } from './records.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** Which version, in what state: enough to pick one to run or publish. */
export function kitVersionSummary(version: KitVersionRecord) {
  return {
    kit_version_id: version.id,
    version: version.version,
    status: version.status,
    created_at: iso(version.createdAt),
    published_at: isoOrNull(version.publishedAt),
  };
}

/** One Kit version with its settings and the Brick versions it pins. */
export function kitVersionView(version: KitVersionRecord) {
  return {
    object: 'kit_version' as const,
    kit_code: version.kitCode,
    ...kitVersionSummary(version),
    name: version.name,
    description: version.description,
    model: version.model,
    bricks: version.bricks.map((b) => ({
      key: b.key,
      version: b.version,
      name: b.name,
      engine: b.engine,
      output: b.output,
    })),
  };
}

/**
 * A Kit in a list: its name and description are those of its latest version, which is what was
 * last written; `published_version` is what `kit_code` runs.
 */
export function kitSummary(kit: KitRecord, latest: KitVersionRecord, published: KitVersionRecord | null) {
  return {
    object: 'kit' as const,
    kit_code: kit.code,
    name: latest.name,
    description: latest.description,
    created_at: iso(kit.createdAt),
    latest_version: kitVersionSummary(latest),
    published_version: published ? kitVersionSummary(published) : null,
  };
}

/** A Kit with every version, newest first (`versions[0]` is the latest). */
export function kitDetail(kit: KitRecord, versions: readonly KitVersionRecord[]) {
  const latest = versions[0];
  if (!latest) throw new Error(`Kit ${kit.code} has no version`);
  const published = versions.find((v) => v.status === 'published') ?? null;
  return { ...kitSummary(kit, latest, published), versions: versions.map(kitVersionView) };
}

/** GET /v1/kits/schema: each Brick's output settings, and the JSON Schema of `output.bricks`. */
export function kitSchemaView(version: KitVersionRecord) {
  return {
    object: 'kit_schema' as const,
    kit_code: version.kitCode,
    kit_version_id: version.id,
    bricks: version.bricks.map((b) => ({
      key: b.key,
      version: b.version,
      name: b.name,
      output: b.output,
      evidence: b.evidence,
      confidence: b.confidence,
    })),
    schema: kitOutputJsonSchema(version.bricks),
  };
}
