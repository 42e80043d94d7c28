import { evaluateKit } from '../evaluation/evaluate-kit.ts';
import { sha256Hex } from '../ids.ts';
import { checkedInput } from '../runs/checked-input.ts';
import { canonicalJson } from '../runs/fingerprint.ts';
import type { CreateRunBody } from '../runs/request-schemas.ts';
import type { Store } from '../store/store.ts';
import { resolveKitVersion } from './resolve-kit-version.ts';

/**
 * POST /v1/test: checks a run request exactly as POST /v1/runs does (Kit, then input) and answers
 * the placeholder output a sandbox run of it would produce — same seed, same "does not apply"
 * results — without calling a model or storing anything.
 */
export async function testRun(store: Store, workspaceId: string, body: CreateRunBody) {
  const kitVersion = await resolveKitVersion(store, workspaceId, {
    kitCode: body.kit_code,
    kitVersionId: body.kit_version_id,
  });
  const { conversation, context } = checkedInput(body.input);
  // Exactly what the executor does for a sandbox run: no engine is called.
  const { bricks } = await evaluateKit({
    bricks: kitVersion.bricks,
    conversation,
    context,
    engines: {},
    model: kitVersion.model,
    sandbox: true,
    seed: sha256Hex(canonicalJson(body.input)),
    signal: new AbortController().signal,
  });
  return {
    object: 'test_result',
    kit_code: kitVersion.kitCode,
    kit_version_id: kitVersion.id,
    output: { kit_code: kitVersion.kitCode, kit_version_id: kitVersion.id, bricks },
  };
}
