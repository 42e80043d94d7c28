import { evaluateKit } from '../evaluation/evaluate-kit.ts';
import { conversationLimits, parsePreparedInput } from '../evaluation/prepare-input.ts';
import { checkedInput } from '../runs/checked-input.ts';
import type { RunsDeps } from '../runs/deps.ts';
import type { CreateRunBody } from '../runs/request-schemas.ts';
import { resolveKitVersion } from './resolve-kit-version.ts';

/**
 * POST /v1/test: checks a run request exactly as POST /v1/runs does (Kit, then input) and answers
 * the placeholder output a sandbox run of it would produce — same seed, same "does not apply"
 * results — without calling a model or storing anything.
 */
export async function testRun(
  deps: Pick<RunsDeps, 'store' | 'engineThreads' | 'config'>,
  workspaceId: string,
  body: CreateRunBody,
) {
  const kitVersion = await resolveKitVersion(deps.store, workspaceId, {
    kitCode: body.kit_code,
    kitVersionId: body.kit_version_id,
  });
  const preparedJson = checkedInput(
    await deps.engineThreads.prepareInput(
      workspaceId,
      JSON.stringify(body.input),
      conversationLimits(deps.config),
    ),
  );
  const { conversation, context, inputSha256 } = parsePreparedInput(preparedJson);
  // Exactly what the executor does for a sandbox run: no engine is called.
  const { bricks } = await evaluateKit({
    bricks: kitVersion.bricks,
    conversation,
    context,
    engines: {},
    model: kitVersion.model,
    sandbox: true,
    seed: inputSha256,
    workspaceId,
    signal: new AbortController().signal,
  });
  return {
    object: 'test_result' as const,
    kit_code: kitVersion.kitCode,
    kit_version_id: kitVersion.id,
    output: { kit_code: kitVersion.kitCode, kit_version_id: kitVersion.id, bricks },
  };
}
