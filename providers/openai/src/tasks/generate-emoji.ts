import { ProcessingError } from '@taskproc/provider-sdk';
import { firstEmoji, prompts, requireText } from '@taskproc/provider-sdk/text';
import { completeChat, streamTo } from '../complete-chat.ts';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';
import { aboutWholeText } from './summarize.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:generateemoji: one emoji, whatever else the model wrote around it. A text too long for
 * one request is summarised first, as for headlines, so the emoji still reflects all of it.
 */
export const runGenerateEmoji: BuiltInTaskHandler<'core:generateemoji'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  return { output: await aboutWholeText(text, ctx, deps, (t) => pickEmoji(t, ctx, deps)) };
};

async function pickEmoji(text: string, ctx: TaskContext, deps: OpenAiDeps): Promise<string> {
  const answer = await completeChat(
    [
      { role: 'system', content: prompts.generateemoji },
      { role: 'user', content: text },
    ],
    'generateemoji',
    ctx,
    deps,
    streamTo(ctx),
  );
  const emoji = firstEmoji(answer);
  if (!emoji) {
    throw new ProcessingError(`The AI service answered without an emoji: ${JSON.stringify(answer.slice(0, 200))}`, {
      userFacingMessage: 'The AI service did not answer with an emoji',
    });
  }
  return emoji;
}
