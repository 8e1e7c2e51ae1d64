import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { completeChat, streamTo } from '../complete-chat.ts';
import { prompts } from '../prompts.ts';
import type { TaskLogger } from '../task-context.ts';
import { requireText, type BuiltInTaskHandler } from './task-handler.ts';

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

const HistoryEntry = z.object({ role: z.string(), content: z.unknown() });

/**
 * Turns the `history` slot into chat messages. Nextcloud's assistant sends each entry as a JSON
 * string `{"role":"user"|"assistant","content":"..."}` (older versions say `human` for the user,
 * as nextcloud/integration_openai maps it); plain strings are accepted too and, since the history
 * starts with a message by the user, alternate user / assistant. Entries this provider cannot
 * replay (tool calls, tool results, unknown roles) are skipped with a log line rather than
 * failing the task.
 */
export function historyMessages(history: string[], logger: TaskLogger): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  history.forEach((entry, index) => {
    const parsed = HistoryEntry.safeParse(parseJson(entry));
    if (!parsed.success) {
      messages.push({ role: index % 2 === 0 ? 'user' : 'assistant', content: entry });
      return;
    }
    const role = parsed.data.role.toLowerCase();
    const content = parsed.data.content;
    if (typeof content !== 'string' || content === '') {
      logger.debug({ index, role }, 'skipping chat history entry without text content');
    } else if (role === 'user' || role === 'human') {
      messages.push({ role: 'user', content });
    } else if (role === 'assistant' || role === 'ai') {
      messages.push({ role: 'assistant', content });
    } else if (role === 'system') {
      messages.push({ role: 'system', content });
    } else {
      logger.debug({ index, role }, 'skipping chat history entry with an unsupported role');
    }
  });
  return messages;
}

function parseJson(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
