import OpenAI from 'openai';
import type { OpenAiProviderConfig } from './config.ts';

/**
 * The `openai` client for the configured endpoint. Its own retries are off: call-api.ts retries
 * with the task's signal and an injectable sleep, so Retry-After handling is one testable loop.
 */
export function createOpenAiClient(
  config: Pick<OpenAiProviderConfig, 'apiKey' | 'baseUrl' | 'timeoutMs'>,
  options: { fetch?: typeof fetch } = {},
): OpenAI {
  return new OpenAI({
    // Local servers need no key, but the client refuses to start without one.
    apiKey: config.apiKey ?? 'no-key',
    baseURL: config.baseUrl,
    timeout: config.timeoutMs,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
