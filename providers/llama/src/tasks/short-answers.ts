import { ProcessingError } from '@taskproc/provider-sdk';
import { cleanHeadline, cleanTopics, firstEmoji, prompts, requireText } from '@taskproc/provider-sdk/text';
import { ask, streamParts, streamTo } from './ask.ts';
import type { LlamaDeps, TaskContext } from './deps.ts';
import { mapParts, partsFor } from './parts.ts';
import { aboutWholeText } from './summarize.ts';

/** core:text2text:headline: one line, about the summary when the text is too long for one request. */
export async function writeHeadline(text: string, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  const answer = await aboutWholeText(requireText(text), 'headline', prompts.headline, ctx, deps, (t) => ask('headline', prompts.headline, t, ctx, deps, streamTo(ctx)));
  return cleanHeadline(answer);
}

/**
 * core:text2text:topics: one comma-separated list. A long text's parts each get their topics,
 * merged without repeats, so no extra request is needed to combine them.
 */
export async function listTopics(text: string, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  const { parts } = partsFor(requireText(text), 'topics', prompts.topics, 'condense', deps);
  const nextPart = streamParts(ctx, ', ');
  return cleanTopics(await mapParts(parts, ctx, (part) => ask('topics', prompts.topics, part, ctx, deps, nextPart())));
}

/** core:generateemoji: one emoji, whatever else the model wrote around it. */
export async function pickEmoji(text: string, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  const answer = await aboutWholeText(requireText(text), 'generateemoji', prompts.generateemoji, ctx, deps, (t) =>
    ask('generateemoji', prompts.generateemoji, t, ctx, deps, streamTo(ctx)),
  );
  const emoji = firstEmoji(answer);
  if (!emoji) {
    throw new ProcessingError(`The model answered without an emoji: ${JSON.stringify(answer.slice(0, 200))}`, {
      userFacingMessage: 'The model did not answer with an emoji',
    });
  }
  return emoji;
}
