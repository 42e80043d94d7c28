import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

interface KitVersion {
  kit_version_id: string;
  version: number;
  status: string;
  bricks: { key: string; version: number; output: { type: string } }[];
}
interface Kit {
  kit_code: string;
  versions: KitVersion[];
}
interface Run {
  run_id: string;
  status: string;
  kit_code: string;
  kit_version_id: string;
  output: { bricks: Record<string, { value: unknown; brick_version: number }> };
  /** On refusals. */
  error?: string;
}

const TRANSCRIPT = 'Rep: Want to see a demo next week?\nProspect: Yes, a demo and then a trial, please.';

/** A live, deterministic (tracker) run that waits for its result. */
async function run(ref: { kit_code?: string; kit_version_id?: string }) {
  return t.api<Run>('/v1/runs', { body: { ...ref, mode: 'sync', input: { transcript: TRANSCRIPT } } });
}

async function publish(code: string, versionId: string) {
  const res = await t.api(`/v1/kits/${code}/versions/${versionId}/publish`, { method: 'POST' });
  expect(res.status, res.text).toBe(200);
}

describe('Brick and Kit versions are immutable; runs stay on the version they name', () => {
  it('kit_version_id keeps running old Bricks; kit_code moves only when a newer version is published', async () => {
    // Brick v1 answers "was a demo mentioned?"; v2 counts demo and trial mentions.
    const brickV1 = await t.api('/v1/bricks', {
      body: {
        key: 'demo_interest',
        name: 'Demo interest',
        engine: 'tracker',
        tracker: { phrases: ['demo'] },
        output: { type: 'boolean' },
      },
    });
    expect(brickV1.status, brickV1.text).toBe(201);
    const created = await t.api<Kit>('/v1/kits', {
      body: { name: 'Demo', bricks: [{ key: 'demo_interest' }] },
    });
    expect(created.status, created.text).toBe(201);
    const code = created.body.kit_code;
    const v1 = created.body.versions[0]!;

    // Only a draft: kit_code has nothing to run, kit_version_id runs the draft.
    const unpublished = await run({ kit_code: code });
    expect(unpublished.status).toBe(422);
    expect(unpublished.body.error).toBe('kit_not_published');
    const onDraft = await run({ kit_version_id: v1.kit_version_id });
    expect(onDraft.status, onDraft.text).toBe(200);
    expect(onDraft.body.output.bricks['demo_interest']).toMatchObject({ value: true, brick_version: 1 });

    await publish(code, v1.kit_version_id);
    const first = await run({ kit_version_id: v1.kit_version_id });
    expect(first.body.status).toBe('succeeded');
    expect(first.body.output.bricks['demo_interest']).toMatchObject({ value: true, brick_version: 1 });

    const brickV2 = await t.api('/v1/bricks/demo_interest/versions', {
      body: {
        name: 'Demo interest',
        engine: 'tracker',
        tracker: { phrases: ['demo', 'trial'] },
        output: { type: 'number', min: 0 },
      },
    });
    expect(brickV2.status, brickV2.text).toBe(201);
    // A new Brick version changes no Kit version: kit_code still runs Brick v1.
    const stillV1 = await run({ kit_code: code });
    expect(stillV1.body.kit_version_id).toBe(v1.kit_version_id);
    expect(stillV1.body.output.bricks['demo_interest']).toMatchObject({ value: true, brick_version: 1 });

    const draftV2 = await t.api<KitVersion>(`/v1/kits/${code}/versions`, {
      body: { bricks: [{ key: 'demo_interest' }] },
    });
    expect(draftV2.status, draftV2.text).toBe(201);
    expect(draftV2.body.bricks).toMatchObject([{ key: 'demo_interest', version: 2 }]);
    // A newer draft does not change what kit_code runs.
    const beforePublish = await run({ kit_code: code });
    expect(beforePublish.body.kit_version_id).toBe(v1.kit_version_id);
    expect(beforePublish.body.output.bricks['demo_interest']!.brick_version).toBe(1);

    await publish(code, draftV2.body.kit_version_id);
    const byCode = await run({ kit_code: code });
    expect(byCode.body.kit_version_id).toBe(draftV2.body.kit_version_id);
    expect(byCode.body.output.bricks['demo_interest']).toMatchObject({ value: 3, brick_version: 2 });
    const byOldVersion = await run({ kit_version_id: v1.kit_version_id });
    expect(byOldVersion.body.kit_version_id).toBe(v1.kit_version_id);
    expect(byOldVersion.body.output.bricks['demo_interest']).toMatchObject({ value: true, brick_version: 1 });

    // The runs made before keep their results, and Kit v1 still pins Brick v1.
    const again = await t.api<Run>(`/v1/runs/${first.body.run_id}`);
    expect(again.body.output).toEqual(first.body.output);
    const kit = await t.api<Kit>(`/v1/kits/${code}`);
    expect(
      kit.body.versions.map((v) => [v.version, v.status, v.bricks[0]!.version, v.bricks[0]!.output.type]),
    ).toEqual([
      [2, 'published', 2, 'number'],
      [1, 'published', 1, 'boolean'],
    ]);
    // The output schema follows the version too.
    const oldSchema = await t.api<{ bricks: { version: number }[] }>(
      `/v1/kits/schema?kit_version_id=${v1.kit_version_id}`,
    );
    expect(oldSchema.body.bricks[0]!.version).toBe(1);
    const newSchema = await t.api<{ bricks: { version: number }[] }>(`/v1/kits/schema?kit_code=${code}`);
    expect(newSchema.body.bricks[0]!.version).toBe(2);
  });

  it('a new Kit version that leaves out bricks keeps the same Brick versions, even when newer ones exist', async () => {
    await t.api('/v1/bricks', {
      body: {
        key: 'trial_talk',
        name: 'Trial',
        engine: 'tracker',
        tracker: { phrases: ['trial'] },
        output: { type: 'boolean' },
      },
    });
    const kit = await t.api<Kit>('/v1/kits', { body: { name: 'Trial', bricks: [{ key: 'trial_talk' }] } });
    await t.api('/v1/bricks/trial_talk/versions', {
      body: {
        name: 'Trial v2',
        engine: 'tracker',
        tracker: { phrases: ['pilot'] },
        output: { type: 'boolean' },
      },
    });
    const renamed = await t.api<KitVersion>(`/v1/kits/${kit.body.kit_code}/versions`, {
      body: { name: 'Trial, renamed' },
    });
    expect(renamed.body.bricks).toMatchObject([{ key: 'trial_talk', version: 1 }]);
  });

  it('publishing an older draft after a newer version does not move kit_code back', async () => {
    const kit = await t.api<Kit>('/v1/kits', { body: { name: 'Order', bricks: [{ key: 'talk_ratio' }] } });
    const code = kit.body.kit_code;
    const v1 = kit.body.versions[0]!.kit_version_id;
    const v2 = await t.api<KitVersion>(`/v1/kits/${code}/versions`, { body: { name: 'Order v2' } });
    await publish(code, v2.body.kit_version_id);
    await publish(code, v1);
    const res = await run({ kit_code: code });
    expect(res.body.kit_version_id).toBe(v2.body.kit_version_id);
  });
});
