import { ProcessingError } from '@taskproc/provider-sdk';
import { ContextLengthError, userMessages } from '../api-errors.ts';
import { completeChat, streamTo, type CompleteChatOptions } from '../complete-chat.ts';
import { mapParts } from '../map-parts.ts';
import { prompts, requireText } from '@taskproc/provider-sdk/text';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';
import { inputBudgetChars } from '../text-parts.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/** core:text2text:summary. */
export const runSummary: BuiltInTaskHandler<'core:text2text:summary'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  return { output: await summarize(text, ctx, deps, [0, 1], streamTo(ctx)) };
};

/**
 * Summarises a text of any length. A text that fits the context is one request. A longer one is
 * split; each part is summarised (progress per part), and the partial summaries are combined in
 * one more request, or, when even they do not fit, summarised again the same way. The result
 * covers the whole text: nothing is cut off to make it fit.
 */
export async function summarize(
  text: string,
  ctx: TaskContext,
  deps: OpenAiDeps,
  progressSpan: readonly [number, number],
  final: CompleteChatOptions = {},
): Promise<string> {
  const budgetChars = inputBudgetChars(deps.config, 'condense');
  // Only the request that writes the summary itself streams: one that fits, or the combining one.
  // Should the one that fits turn out too long after all, its parts must not stream.
  let single = text.length <= budgetChars ? final : {};
  const [from, to] = progressSpan;
  // Parts take most of the progress; the combining request the rest.
  const partsEnd = from + (to - from) * 0.9;
  const summaries = await mapParts(text, { budgetChars, ctx, progressSpan: [from, partsEnd] }, (part) => {
    const streaming = single;
    single = {};
    return completeChat(
      [
        { role: 'system', content: prompts.summary },
        { role: 'user', content: part },
      ],
      'summary',
      ctx,
      deps,
      streaming,
    );
  });
  if (summaries.length <= 1) return summaries[0] ?? '';

  const joined = summaries.join('\n\n');
  if (joined.length >= text.length) {
    // Summaries that do not shrink would recurse forever; the model is not summarising.
    throw new ProcessingError('Summaries of the parts are no shorter than the text', { userFacingMessage: userMessages.tooLong });
  }
  if (joined.length <= budgetChars) {
    try {
      const combined = await completeChat(
        [
          { role: 'system', content: prompts.combineSummaries },
          { role: 'user', content: joined },
        ],
        'summary',
        ctx,
        deps,
        final,
      );
      await ctx.reportProgress(to);
      return combined;
    } catch (error) {
      if (!(error instanceof ContextLengthError)) throw error;
      ctx.logger.info({ chars: joined.length }, 'combined summaries too long for the model context; condensing again');
    }
  }
  return summarize(joined, ctx, deps, [partsEnd, to], final);
}

/**
 * Writes a short answer about a whole text (a headline, an emoji): about the text itself when it
 * fits one request, else about its summary (see summarize), so the answer still reflects all of it.
 */
export async function aboutWholeText<T>(
  text: string,
  ctx: TaskContext,
  deps: OpenAiDeps,
  write: (text: string) => Promise<T>,
): Promise<T> {
  if (text.trim().length <= inputBudgetChars(deps.config, 'condense')) {
    try {
      return await write(text);
    } catch (error) {
      if (!(error instanceof ContextLengthError)) throw error;
    }
  }
  return write(await summarize(text, ctx, deps, [0, 0.9]));
}
