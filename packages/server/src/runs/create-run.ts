import { ApiError } from '../errors/api-error.ts';
import { conversationLimits } from '../evaluation/prepare-input.ts';
import type { Caller } from '../keys/caller.ts';
import { resolveKitVersionId } from '../kits/resolve-kit-version.ts';
import { differingFields } from '../store/differing-fields.ts';
import type { IdempotencyClaim } from '../store/records.ts';
import { checkedInput } from './checked-input.ts';
import type { RunsDeps } from './deps.ts';
import { requestFingerprint } from './fingerprint.ts';
import type { RunRecord } from './records.ts';
import type { CreateRunBody } from './request-schemas.ts';

export interface CreatedRun {
  run: RunRecord;
  replayed: boolean;
}

/** Seconds a client should wait before its first poll (the Retry-After of a full queue). */
type PollHint = () => Promise<number>;

function conflict(fields: string[], runId: string): ApiError {
  return new ApiError('idempotency_key_conflict', {
    message: `This Idempotency-Key was first used with a different request (differs in: ${fields.join(', ')}).`,
    detail: { fields, run_id: runId },
  });
}

function queueFull(maxQueuedRuns: number, retryAfterSeconds: number): ApiError {
  return new ApiError('rate_limited', {
    message: `This workspace already has ${maxQueuedRuns} queued runs; retry later.`,
    detail: { reason: 'queue_full', max_queued_runs: maxQueuedRuns },
    retryAfterSeconds,
  });
}

/**
 * Accepts a run (SPEC §3.1, §3.7): idempotency first, then the Kit and the input; the store
 * inserts it only under the workspace's queue cap (SPEC §9.4: exact, checked in the insert's
 * transaction). A 2xx after this means the run is durable.
 */
export async function createRun(
  deps: RunsDeps,
  pollHintSeconds: PollHint,
  caller: Caller,
  body: CreateRunBody,
  options: { idempotencyKey: string | null; requestId: string },
): Promise<CreatedRun> {
  const { store, clock, config } = deps;
  // Every run made with a test key is a sandbox run, whatever it asked for.
  const runType = caller.mode === 'test' ? 'sandbox' : body.type;
  const now = clock.now();
  // Normalised once, here (on an engine thread when large), and kept with the run. A bad input is
  // reported after the idempotency check: a replay answers as it did the first time.
  const inputJson = JSON.stringify(body.input);
  const preparation = await deps.engineThreads.prepareInput(
    caller.workspaceId,
    inputJson,
    conversationLimits(config),
  );

  let idempotency: IdempotencyClaim | null = null;
  if (options.idempotencyKey !== null) {
    const { fingerprint, fieldHashes } = requestFingerprint({
      kit_code: body.kit_code ?? null,
      kit_version_id: body.kit_version_id ?? null,
      inputSha256: preparation.inputSha256,
      type: runType,
    });
    const existing = await store.idempotencyKeyGet(
      caller.workspaceId,
      caller.mode,
      options.idempotencyKey,
      now,
    );
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        // The same names, in the same order, as when the store catches the conflict in a race.
        const fields = differingFields(existing.fieldHashes, fieldHashes);
        throw conflict(fields, existing.runId);
      }
      const run = await store.runGet(caller.workspaceId, existing.runId);
      if (run) return { run, replayed: true };
    }
    idempotency = {
      mode: caller.mode,
      key: options.idempotencyKey,
      fingerprint,
      fieldHashes,
      expiresAt: now + config.idempotencyTtlMs,
    };
  }

  const kitVersion = await resolveKitVersionId(store, caller.workspaceId, {
    kitCode: body.kit_code,
    kitVersionId: body.kit_version_id,
  });
  const preparedJson = checkedInput(preparation);

  const metadata = body.input['metadata'];
  const result = await store.runInsert(
    {
      id: `run_${deps.ids.ulid()}`,
      workspaceId: caller.workspaceId,
      runType,
      mode: body.mode,
      kitCode: kitVersion.kitCode,
      kitVersionId: kitVersion.id,
      inputJson,
      preparedJson,
      metadataJson: metadata === undefined ? null : JSON.stringify(metadata),
      createdAt: now,
      requestId: options.requestId,
    },
    idempotency,
    now,
    config.maxQueuedRuns,
  );
  if (result.outcome === 'conflict') throw conflict(result.fields, result.runId);
  if (result.outcome === 'queue_full') throw queueFull(config.maxQueuedRuns, await pollHintSeconds());
  if (result.outcome === 'created') deps.signals.runQueued();
  return { run: result.run, replayed: result.outcome === 'replayed' };
}
