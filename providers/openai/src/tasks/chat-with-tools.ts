import { ProcessingError } from '@taskproc/provider-sdk';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { userMessages } from '../api-errors.ts';
import { callApi } from '../call-api.ts';
import { stripThinking } from '@taskproc/provider-sdk/text';
import { maxTokensParam } from '../max-tokens.ts';
import { nextcloudToolCalls, parseToolMessages, parseTools, toolHistoryMessages } from '../tool-messages.ts';
import type { BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:chatwithtools: OpenAI function calling. The messages go in the order
 * nextcloud/integration_openai sends them: the app's system prompt (as it is: agents bring
 * their own rules), the history, the new message, then the results of the tools the model
 * called last turn. An answer may be text, tool calls, or both; it fails only when it is neither.
 * Not split when long, like the plain chat: a conversation cannot be answered in parts.
 */
export const runChatWithTools: BuiltInTaskHandler<'core:text2text:chatwithtools'> = async (input, ctx, deps) => {
  // Checked before anything is sent: a typo in the app's tool definitions is the app's to fix.
  const tools = parseTools(input.tools);
  const toolResults = parseToolMessages(input.tool_message);
  const messages: ChatCompletionMessageParam[] = [
    ...(input.system_prompt.trim() ? [{ role: 'system' as const, content: input.system_prompt }] : []),
    ...toolHistoryMessages(input.history, ctx.logger),
    // Empty when the app only sends tool results back.
    ...(input.input.trim() ? [{ role: 'user' as const, content: input.input }] : []),
    ...toolResults,
  ];
  if (messages.every((m) => m.role === 'system')) {
    throw new ProcessingError('Neither a chat message, a history nor tool results were given', {
      userFacingMessage: 'The input text is empty',
    });
  }
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: deps.config.models.chatwithtools,
    messages,
    // OpenAI refuses an empty list; without tools this is a plain chat.
    ...(tools.length > 0 ? { tools } : {}),
    ...maxTokensParam(deps.config),
  };
  const completion = await callApi((options) => deps.client.chat.completions.create(body, options), ctx, deps);
  const choice = completion.choices[0];
  const output = stripThinking(choice?.message.content ?? '');
  const toolCalls = nextcloudToolCalls(choice?.message.tool_calls, ctx.logger);
  if (!output && !toolCalls) {
    throw new ProcessingError(`The AI service returned neither text nor tool calls (finish_reason ${choice?.finish_reason ?? 'none'})`, {
      userFacingMessage: userMessages.empty,
    });
  }
  if (choice?.finish_reason === 'length') {
    ctx.logger.warn({ model: body.model, maxTokens: deps.config.maxTokens }, 'answer cut off at the token limit');
  }
  return { output, tool_calls: toolCalls };
};
