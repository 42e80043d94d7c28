import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { BoundedMap } from '../bounded-map.ts';
import type { ModelSettings } from './model-settings.ts';

// A model object is only its settings and an HTTP client: one per distinct settings is enough, and
// building one per run (schemas included) was a visible share of each model call.
const MAX_MODELS = 100;
const models = new BoundedMap<string, LanguageModel>(MAX_MODELS);

/** createLanguageModel, reusing the model made earlier for the same settings. */
export function languageModelFor(settings: ModelSettings): LanguageModel {
  const key = JSON.stringify([settings.provider, settings.model, settings.baseUrl, settings.apiKey]);
  let model = models.get(key);
  if (!model) {
    model = createLanguageModel(settings);
    models.set(key, model);
  }
  return model;
}

/**
 * An AI SDK model for the settings. OpenAI goes through Chat Completions, the API that proxies and
 * OpenAI-compatible servers also speak; Anthropic through its Messages API.
 */
export function createLanguageModel(settings: ModelSettings): LanguageModel {
  const baseURL = settings.baseUrl || undefined;
  switch (settings.provider) {
    case 'openai':
      return createOpenAI({ apiKey: settings.apiKey, ...(baseURL ? { baseURL } : {}) }).chat(settings.model);
    case 'anthropic':
      return createAnthropic({ apiKey: settings.apiKey, ...(baseURL ? { baseURL } : {}) })(settings.model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: settings.baseUrl,
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        // Ollama, vLLM, llama.cpp and LM Studio accept response_format json_schema.
        supportsStructuredOutputs: true,
      })(settings.model);
  }
}
