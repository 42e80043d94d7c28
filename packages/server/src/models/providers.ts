/**
 * The model providers the server can reach. A leaf module: configuration checks
 * SEMARIZE_MODEL_PROVIDER against it and Kits name one, neither needing the rest of `models/`
 * (which itself reads the configuration: the arrow goes one way).
 */
export const PROVIDER_NAMES = ['openai', 'anthropic', 'openai-compatible'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];
