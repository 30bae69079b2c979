/**
 * The LLM brain: any OpenAI-compatible chat model (OpenAI, Azure, vLLM, Ollama, …) through
 * `@langchain/openai`. Configured by OPENAI_API_KEY, OPENAI_BASE_URL and SETTLE_MODEL.
 */
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config.js';

export function llmConfigured(config: Pick<Config, 'openai'>): boolean {
  return Boolean(config.openai.model && (config.openai.apiKey || config.openai.baseUrl));
}

export function createLlm(config: Pick<Config, 'openai'>, options: { timeoutMs?: number } = {}): ChatOpenAI {
  return new ChatOpenAI({
    model: config.openai.model!,
    apiKey: config.openai.apiKey ?? 'not-needed',
    ...(config.openai.baseUrl ? { configuration: { baseURL: config.openai.baseUrl } } : {}),
    temperature: 0,
    maxRetries: 1,
    timeout: options.timeoutMs ?? 60_000,
  });
}
