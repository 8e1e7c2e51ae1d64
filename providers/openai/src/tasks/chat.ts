import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { completeChat, streamTo } from '../complete-chat.ts';
import { historyTurns, prompts, requireText } from '@taskproc/provider-sdk/text';
import type { TaskLogger } from '../task-context.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:chat: the app's system prompt, the history, then the new message. Not split
 * when long: dropping earlier turns silently would change the conversation.
 */
export const runChat: BuiltInTaskHandler<'core:text2text:chat'> = async (input, ctx, deps) => {
  const { input: message, system_prompt: systemPrompt, history } = input;
  const system = systemPrompt.trim() ? `${systemPrompt.trim()}\n\n${prompts.chat}` : prompts.chat;
  const output = await completeChat(
    [{ role: 'system', content: system }, ...historyMessages(history, ctx.logger), { role: 'user', content: requireText(message) }],
    'chat',
    ctx,
    deps,
    streamTo(ctx),
  );
  return { output };
};

/** The `history` slot as chat messages (the reading of its entries is the SDK's, shared with providers/llama). */
export function historyMessages(history: string[], logger: TaskLogger): ChatCompletionMessageParam[] {
  return historyTurns(history, logger).map(({ role, text }) => ({ role, content: text }));
}
