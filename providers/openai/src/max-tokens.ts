import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { OpenAiProviderConfig } from './config.ts';

/**
 * The cap on generated tokens for a chat request that does not go through completeChat (chat
 * with tools reads the whole message, not only its text). OpenAI deprecated `max_tokens` for
 * `max_completion_tokens` (its reasoning models refuse the old name), while OpenAI-compatible
 * servers (Ollama, llama.cpp, vLLM) reliably know only `max_tokens`.
 */
export function maxTokensParam(
  config: Pick<OpenAiProviderConfig, 'maxTokens' | 'official'>,
): Pick<ChatCompletionCreateParamsNonStreaming, 'max_tokens' | 'max_completion_tokens'> {
  if (config.maxTokens === undefined) return {};
  return config.official ? { max_completion_tokens: config.maxTokens } : { max_tokens: config.maxTokens };
}
