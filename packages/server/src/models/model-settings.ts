import type { Config } from '../config.ts';
import { RunFailure } from '../errors/run-failure.ts';
import type { KitModelSettings } from '../kits/records.ts';
import { PROVIDER_NAMES, type ProviderName } from './providers.ts';

/** Everything needed to reach one model. */
export interface ModelSettings {
  provider: ProviderName;
  model: string;
  /** Empty: the provider's public endpoint. */
  baseUrl: string;
  apiKey: string;
}

/** The endpoint and key of a provider: the server's, when it is the provider the server is set up for. */
function endpointOf(
  config: Pick<Config, 'modelProvider' | 'modelBaseUrl' | 'modelApiKey'>,
  provider: string,
): { baseUrl: string; apiKey: string } {
  const sameProvider = provider === config.modelProvider;
  return { baseUrl: sameProvider ? config.modelBaseUrl : '', apiKey: sameProvider ? config.modelApiKey : '' };
}

/**
 * What decides a Kit's model answers, without the key: provider, model, endpoint and sampling.
 * Runs with equal identities ask the same model the same way (what `reuse` compares, SPEC §11.5).
 * Never throws: a Kit with no model configured has an identity too (its runs fail before a call).
 */
export function modelIdentity(
  config: Pick<Config, 'modelProvider' | 'model' | 'modelBaseUrl' | 'modelApiKey'>,
  kit: KitModelSettings,
): Record<string, unknown> {
  const provider = kit.provider ?? config.modelProvider ?? '';
  return {
    provider,
    model: kit.model ?? config.model ?? '',
    baseUrl: endpointOf(config, provider).baseUrl,
    samples: sampleCount(kit),
    sampling: Array.from({ length: sampleCount(kit) }, (_, n) =>
      samplingSettings(kit, provider as ProviderName, n),
    ),
  };
}

/**
 * The model a Kit runs on: the Kit's own `model` settings where it has them, the server's
 * configuration otherwise. The endpoint and key come from the server configuration; they apply to
 * a Kit that names another provider only when the server is configured for that provider too.
 */
export function resolveModelSettings(
  config: Pick<Config, 'modelProvider' | 'model' | 'modelBaseUrl' | 'modelApiKey'>,
  kit: KitModelSettings,
): ModelSettings {
  const provider = kit.provider ?? config.modelProvider;
  const model = kit.model ?? config.model;
  if (!provider || !model) {
    throw new RunFailure(
      'model_not_configured',
      "No language model is configured: set SEMARIZE_MODEL_PROVIDER and SEMARIZE_MODEL (or the Kit's model settings).",
    );
  }
  if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) {
    throw new RunFailure(
      'model_not_configured',
      `The Kit names model provider "${provider}"; expected openai, anthropic or openai-compatible.`,
    );
  }
  const settings: ModelSettings = {
    ...endpointOf(config, provider),
    provider: provider as ProviderName,
    model,
  };
  if (settings.provider === 'openai-compatible' && !settings.baseUrl) {
    throw new RunFailure(
      'model_not_configured',
      'The openai-compatible provider needs SEMARIZE_MODEL_BASE_URL.',
    );
  }
  if (settings.provider !== 'openai-compatible' && !settings.apiKey) {
    throw new RunFailure(
      'model_not_configured',
      `No API key for the ${settings.provider} provider: set SEMARIZE_MODEL_API_KEY.`,
    );
  }
  return settings;
}

/** Sampling settings of every call: deterministic by default (SPEC §11.1). */
export interface SamplingSettings {
  temperature: number;
  /** For providers that take one (OpenAI and OpenAI-compatible servers); Anthropic has none. */
  seed?: number;
}

/** The fixed seed of every call, so that the same prompt gets the same answer where providers allow. */
export const DEFAULT_SEED = 14;

/**
 * The temperature of a Kit judged several times that sets none: samples drawn at temperature 0 are
 * one answer k times, and agreement among them would say nothing (SPEC §11.5, docs/decisions.md).
 */
export const SAMPLES_TEMPERATURE = 0.7;

/** How many times a Kit's Bricks are judged (SPEC §11.5): 1 to 5, 1 when unset. */
export const sampleCount = (kit: KitModelSettings): number => kit.samples ?? 1;

/**
 * Sampling of one call: sample `n` (0-based) of a Kit's samples. Each sample has its own fixed
 * seed, so a run judged k times is still repeatable where the provider honours seeds.
 */
export function samplingSettings(kit: KitModelSettings, provider: ProviderName, n = 0): SamplingSettings {
  const temperature = kit.temperature ?? (sampleCount(kit) > 1 ? SAMPLES_TEMPERATURE : 0);
  return provider === 'anthropic' ? { temperature } : { temperature, seed: DEFAULT_SEED + n };
}
