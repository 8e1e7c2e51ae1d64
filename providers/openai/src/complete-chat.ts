import { ProcessingError } from '@taskproc/provider-sdk';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { userMessages } from './api-errors.ts';
import { callApi } from './call-api.ts';
import type { TaskKind } from './task-kinds.ts';
import type { OpenAiDeps, TaskContext } from './task-context.ts';

/**
 * One chat completion with the model configured for `kind`; returns the answer trimmed, with any
 * `<think>` block of a reasoning model removed. An empty answer fails the task rather than
 * completing it with nothing.
 */
export async function completeChat(
  messages: ChatCompletionMessageParam[],
  kind: TaskKind,
  ctx: Pick<TaskContext, 'signal' | 'logger'>,
  deps: OpenAiDeps,
): Promise<string> {
  const { config } = deps;
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: config.models[kind],
    messages,
    ...maxTokensParam(config),
  };
  const completion = await callApi((options) => deps.client.chat.completions.create(body, options), ctx, deps);
  const choice = completion.choices[0];
  const text = stripThinking(choice?.message.content ?? '');
  if (!text) {
    throw new ProcessingError(`The AI service returned an empty answer (finish_reason ${choice?.finish_reason ?? 'none'})`, {
      userFacingMessage: userMessages.empty,
    });
  }
  if (choice?.finish_reason === 'length') {
    ctx.logger.warn({ model: body.model, maxTokens: config.maxTokens }, 'answer cut off at the token limit');
  }
  return text;
}

/**
 * OpenAI deprecated `max_tokens` for `max_completion_tokens` (and its reasoning models refuse the
 * old name), while OpenAI-compatible servers (Ollama, llama.cpp, vLLM) reliably know only `max_tokens`.
 */
function maxTokensParam(config: OpenAiDeps['config']): Partial<ChatCompletionCreateParamsNonStreaming> {
  if (config.maxTokens === undefined) return {};
  return config.official ? { max_completion_tokens: config.maxTokens } : { max_tokens: config.maxTokens };
}

/** Drops the `<think>...</think>` reasoning some local models (DeepSeek-R1, Qwen3) put before the answer. */
export function stripThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
}
