import { cleanHeadline, prompts, requireText } from '@taskproc/provider-sdk/text';
import { completeChat, streamTo } from '../complete-chat.ts';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';
import { aboutWholeText } from './summarize.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:headline: one line. A text too long for one request is summarised first (see
 * summarize.ts) and the headline written for the summary, so it still reflects the whole text.
 */
export const runHeadline: BuiltInTaskHandler<'core:text2text:headline'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  return { output: await aboutWholeText(text, ctx, deps, (t) => writeHeadline(t, ctx, deps)) };
};

async function writeHeadline(text: string, ctx: TaskContext, deps: OpenAiDeps): Promise<string> {
  const answer = await completeChat(
    [
      { role: 'system', content: prompts.headline },
      { role: 'user', content: text },
    ],
    'headline',
    ctx,
    deps,
    streamTo(ctx),
  );
  return cleanHeadline(answer);
}
