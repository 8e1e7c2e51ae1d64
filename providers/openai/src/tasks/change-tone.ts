import { changeTonePrompt, requireText } from '@taskproc/provider-sdk/text';
import { rewriteInParts } from './rewrite.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/** core:text2text:changetone: a rewrite in the chosen tone, split like the other rewrites when long. */
export const runChangeTone: BuiltInTaskHandler<'core:text2text:changetone'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  return { output: await rewriteInParts(text, changeTonePrompt(input.tone), 'changetone', ctx, deps) };
};
