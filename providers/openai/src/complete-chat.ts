import { ProcessingError } from '@taskproc/provider-sdk';
import { createThinkFilter, stripThinking } from '@taskproc/provider-sdk/text';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { classifyApiError, userMessages } from './api-errors.ts';
import { callApi } from './call-api.ts';
import { maxTokensParam } from './max-tokens.ts';
import type { TaskKind } from './task-kinds.ts';
import type { OpenAiDeps, TaskContext } from './task-context.ts';

export interface CompleteChatOptions {
  /**
   * Streams the answer: called with each piece of text as the model writes it (reasoning
   * blocks left out). See {@link streamTo}: only when the app asked for streaming.
   */
  onText?: (text: string) => void;
}

/** Where a handler's final answer streams to: the task's output, when the app asked for streaming. */
export function streamTo(ctx: Pick<TaskContext, 'streaming' | 'stream'>): CompleteChatOptions {
  return ctx.streaming && ctx.stream ? { onText: (text) => ctx.stream!(text) } : {};
}

/**
 * Streaming for an answer written in parts (a long text rewritten part by part) and joined with
 * `separator`: part i streams as it is written, after the separator when it is not the first.
 */
export function streamParts(ctx: Pick<TaskContext, 'streaming' | 'stream'>, separator: string): () => CompleteChatOptions {
  const { onText } = streamTo(ctx);
  if (!onText) return () => ({});
  let parts = 0;
  return () => {
    let first = true;
    const index = parts++;
    return {
      onText(text) {
        if (first && index > 0) onText(separator);
        first = false;
        onText(text);
      },
    };
  };
}

/**
 * One chat completion with the model configured for `kind`; returns the answer trimmed, with any
 * `<think>` block of a reasoning model removed. An empty answer fails the task rather than
 * completing it with nothing. With `onText` the request streams (`stream: true`) and each piece
 * is passed on as it arrives; the returned answer is the same either way.
 */
export async function completeChat(
  messages: ChatCompletionMessageParam[],
  kind: TaskKind,
  ctx: Pick<TaskContext, 'signal' | 'logger'>,
  deps: OpenAiDeps,
  options: CompleteChatOptions = {},
): Promise<string> {
  const { config } = deps;
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: config.models[kind],
    messages,
    ...maxTokensParam(config),
  };
  const { content, finishReason } = options.onText
    ? await streamChat(body, options.onText, ctx, deps)
    : await callApi((call) => deps.client.chat.completions.create(body, call), ctx, deps).then((completion) => ({
        content: completion.choices[0]?.message.content ?? '',
        finishReason: completion.choices[0]?.finish_reason,
      }));
  const text = stripThinking(content);
  if (!text) {
    throw new ProcessingError(`The AI service returned an empty answer (finish_reason ${finishReason ?? 'none'})`, {
      userFacingMessage: userMessages.empty,
    });
  }
  if (finishReason === 'length') {
    ctx.logger.warn({ model: body.model, maxTokens: config.maxTokens }, 'answer cut off at the token limit');
  }
  return text;
}

/**
 * The streaming request. Only opening it is retried (callApi): once text went out to the app,
 * a retry would write it twice, so a stream that breaks fails the task like any failed request.
 */
async function streamChat(
  body: ChatCompletionCreateParamsNonStreaming,
  onText: (text: string) => void,
  ctx: Pick<TaskContext, 'signal' | 'logger'>,
  deps: OpenAiDeps,
): Promise<{ content: string; finishReason: string | null | undefined }> {
  const stream = await callApi((call) => deps.client.chat.completions.create({ ...body, stream: true }, call), ctx, deps);
  const filter = createThinkFilter(onText);
  let content = '';
  let finishReason: string | null | undefined;
  try {
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const piece = choice?.delta?.content;
      if (piece) {
        content += piece;
        filter.push(piece);
      }
      finishReason = choice?.finish_reason ?? finishReason;
    }
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const failure = classifyApiError(error, { timeoutMs: deps.config.timeoutMs, now: deps.now });
    throw failure.kind === 'fail' || failure.kind === 'retry' ? failure.error : error;
  }
  filter.end();
  return { content, finishReason };
}
