import { canonicalJson } from '../canonical-json.ts';
import type { Config } from '../config.ts';
import { NOT_SENT } from '../engines/llm/llm-prompt.ts';
import type { Conversation } from '../evaluation/conversation.ts';
import { sha256Hex } from '../ids.ts';
import type { KitVersionRecord } from '../kits/records.ts';
import { modelIdentity } from '../models/model-settings.ts';

/** Raised when what a run's output depends on changes shape, so older keys stop matching. */
const REUSE_KEY_VERSION = 1;

/**
 * What makes two runs identical for `reuse` (SPEC §11.5): the Kit version, the normalised
 * conversation, the context the engines see (all of `input` but the conversation and `metadata`, which is never sent)
 * and the model identity (provider, model, endpoint, samples, temperature, seeds). Null when the
 * Kit does not reuse, or the run is a sandbox run (which never calls a model).
 */
export function reuseKey(
  config: Pick<Config, 'modelProvider' | 'model' | 'modelBaseUrl' | 'modelApiKey'>,
  kitVersion: KitVersionRecord,
  run: { runType: string },
  conversation: Conversation,
  context: Record<string, unknown>,
): string | null {
  if (kitVersion.model.reuse !== true || run.runType !== 'api') return null;
  const judged = Object.fromEntries(Object.entries(context).filter(([key]) => !NOT_SENT.has(key)));
  return sha256Hex(
    canonicalJson({
      v: REUSE_KEY_VERSION,
      kit_version_id: kitVersion.id,
      conversation,
      context: judged,
      model: modelIdentity(config, kitVersion.model),
    }),
  );
}
