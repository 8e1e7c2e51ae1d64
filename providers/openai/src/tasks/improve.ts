import { improvePrompt, requireText } from '@taskproc/provider-sdk/text';
import { rewriteInParts } from './rewrite.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:improve: the text rewritten as `instructions` say ("make it shorter", "fix the
 * grammar"). Empty instructions ask for a general improvement rather than failing: the slot is
 * required by the type, and the Assistant sends it empty when the user typed nothing.
 */
export const runImprove: BuiltInTaskHandler<'core:text2text:improve'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  return { output: await rewriteInParts(text, improvePrompt(input.instructions), 'improve', ctx, deps) };
};
