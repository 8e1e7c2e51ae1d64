import { ContextLengthError } from '../api-errors.ts';
import { cleanHeadline } from '../clean-output.ts';
import { completeChat } from '../complete-chat.ts';
import { prompts } from '../prompts.ts';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';
import { inputBudgetChars } from '../text-parts.ts';
import { summarize } from './summarize.ts';
import { requireText, type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:headline: one line. A text too long for one request is summarised first (see
 * summarize.ts) and the headline written for the summary, so it still reflects the whole text.
 */
export const runHeadline: BuiltInTaskHandler<'core:text2text:headline'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  if (text.trim().length <= inputBudgetChars(deps.config, 'condense')) {
    try {
      return { output: await writeHeadline(text, ctx, deps) };
    } catch (error) {
      if (!(error instanceof ContextLengthError)) throw error;
    }
  }
  const summary = await summarize(text, ctx, deps, [0, 0.9]);
  return { output: await writeHeadline(summary, ctx, deps) };
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
  );
  return cleanHeadline(answer);
}
