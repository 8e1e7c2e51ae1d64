import { detectLanguage, languages, requireText, translatePrompt } from '@taskproc/provider-sdk/text';
import { rewriteInParts } from './rewrite.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text:translate. Language codes become English names in the prompt (models follow
 * names more reliably); a value outside the declared list is passed on as it is.
 */
export const runTranslate: BuiltInTaskHandler<'core:text2text:translate'> = async (input, ctx, deps) => {
  const { input: text, origin_language: origin, target_language: target } = input;
  const from = origin === detectLanguage ? null : (languages[origin] ?? origin);
  const to = languages[target] ?? target;
  return { output: await rewriteInParts(requireText(text), translatePrompt(from, to), 'translate', ctx, deps) };
};
