import { ProcessingError } from '@taskproc/provider-sdk';
import { prompts } from '@taskproc/provider-sdk/text';
import type { TaskKind } from '../task-kinds.ts';
import { ask, type OnText } from './ask.ts';
import type { LlamaDeps, TaskContext } from './deps.ts';
import { mapParts, partsFor } from './parts.ts';

/**
 * Summarises a text of any length. A text that fits the context is one request. A longer one is
 * split; each part is summarised (progress per part), and the partial summaries are combined in
 * one more request, or, when even they do not fit, summarised again the same way. The result
 * covers the whole text: nothing is cut off to make it fit. Only the request that writes the
 * final summary streams.
 */
export async function summarize(
  text: string,
  ctx: TaskContext,
  deps: LlamaDeps,
  onText: OnText,
  progressSpan: readonly [number, number] = [0, 1],
): Promise<string> {
  const { parts, budgetTokens } = partsFor(text, 'summary', prompts.summary, 'condense', deps);
  if (parts.length <= 1) return ask('summary', prompts.summary, parts[0] ?? text, ctx, deps, onText);

  const [from, to] = progressSpan;
  // Parts take most of the progress; the combining request the rest.
  const partsEnd = from + (to - from) * 0.9;
  const summaries = await mapParts(parts, ctx, (part) => ask('summary', prompts.summary, part, ctx, deps), [from, partsEnd]);
  const joined = summaries.join('\n\n');
  if (joined.length >= text.length) {
    // Summaries that do not shrink would recurse forever; the model is not summarising.
    throw new ProcessingError('Summaries of the parts are no shorter than the text', {
      userFacingMessage: 'The text is too long for the model to summarize.',
    });
  }
  if (deps.generator.countTokens(joined) <= budgetTokens) {
    const combined = await ask('summary', prompts.combineSummaries, joined, ctx, deps, onText);
    await ctx.reportProgress(to);
    return combined;
  }
  return summarize(joined, ctx, deps, onText, [partsEnd, to]);
}

/**
 * Writes a short answer about a whole text (a headline, an emoji): about the text itself when it
 * fits one request, else about its summary, so the answer still reflects all of it.
 */
export async function aboutWholeText<T>(
  text: string,
  kind: TaskKind,
  instruction: string,
  ctx: TaskContext,
  deps: LlamaDeps,
  write: (text: string) => Promise<T>,
): Promise<T> {
  const { parts } = partsFor(text, kind, instruction, 'condense', deps);
  return write(parts.length <= 1 ? text : await summarize(text, ctx, deps, undefined, [0, 0.9]));
}
