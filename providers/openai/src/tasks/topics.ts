import { cleanTopics, prompts, requireText } from '@taskproc/provider-sdk/text';
import { completeChat, streamParts } from '../complete-chat.ts';
import { mapParts } from '../map-parts.ts';
import { inputBudgetChars } from '../text-parts.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:topics: one comma-separated list. A long text's parts each get their topics,
 * merged without repeats, so no extra request is needed to combine them.
 */
export const runTopics: BuiltInTaskHandler<'core:text2text:topics'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  // Streamed as each part's list comes; the output is the merged list without repeats.
  const nextPart = streamParts(ctx, ', ');
  const answers = await mapParts(text, { budgetChars: inputBudgetChars(deps.config, 'condense'), ctx }, (part) =>
    completeChat(
      [
        { role: 'system', content: prompts.topics },
        { role: 'user', content: part },
      ],
      'topics',
      ctx,
      deps,
      nextPart(),
    ),
  );
  return { output: cleanTopics(answers) };
};
