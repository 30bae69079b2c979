/**
 * The chat model behind the LLM brain (src/agent) and the ingest refiner (src/ingest): any
 * OpenAI-compatible model (OpenAI, Azure, vLLM, Ollama, …) through
 * `@langchain/openai`. Configured by OPENAI_API_KEY, OPENAI_BASE_URL and SETTLE_MODEL.
 */
import { ChatOpenAI } from '@langchain/openai';

/** The part of the configuration (src/config.ts) a chat model needs; declared here so this layer imports nothing of Settle's. */
export interface ChatModelConfig {
  openai: { model?: string | undefined; apiKey?: string | undefined; baseUrl?: string | undefined };
}

export function llmConfigured(config: ChatModelConfig): boolean {
  return Boolean(config.openai.model && (config.openai.apiKey || config.openai.baseUrl));
}

export function createLlm(config: ChatModelConfig, options: { timeoutMs?: number } = {}): ChatOpenAI {
  return new ChatOpenAI({
    model: config.openai.model!,
    apiKey: config.openai.apiKey ?? 'not-needed',
    ...(config.openai.baseUrl ? { configuration: { baseURL: config.openai.baseUrl } } : {}),
    temperature: 0,
    maxRetries: 1,
    timeout: options.timeoutMs ?? 60_000,
  });
}
