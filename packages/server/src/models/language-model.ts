import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { ModelSettings } from './model-settings.ts';

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
