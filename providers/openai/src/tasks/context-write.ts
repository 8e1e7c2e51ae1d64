import { completeChat, streamTo } from '../complete-chat.ts';
import { prompts, requireText } from '@taskproc/provider-sdk/text';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:contextwrite: the source material rewritten in the style of the example. One request,
 * not split: every part of the answer needs both the whole style example and the material, so
 * an overflow fails with "too long" instead of a text that changes style halfway.
 */
export const runContextWrite: BuiltInTaskHandler<'core:contextwrite'> = async (input, ctx, deps) => {
  const style = requireText(input.style_input);
  const source = requireText(input.source_input);
  const output = await completeChat(
    [
      { role: 'system', content: prompts.contextwrite },
      { role: 'user', content: `Writing style example:\n\n${style}\n\nSource material:\n\n${source}` },
    ],
    'contextwrite',
    ctx,
    deps,
    streamTo(ctx),
  );
  return { output };
};
