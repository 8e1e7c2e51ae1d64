import type { ShapeEnumValue } from '@taskproc/spec';
import { changeTonePrompt } from '../prompts.ts';
import { rewriteInParts } from './rewrite.ts';
import { requireText, type BuiltInTaskHandler } from './task-handler.ts';

/**
 * The tones offered as Enum values of `tone`: those of nextcloud/integration_openai's
 * ChangeToneProvider (which spells the first value "friendler"; corrected here). Each value is
 * a phrase the prompt uses as it is, so the coordinator's enum check is the only validation.
 */
export const toneEnumValues: ShapeEnumValue[] = [
  { name: 'Friendlier', value: 'friendlier' },
  { name: 'More formal', value: 'more formal' },
  { name: 'Funnier', value: 'funnier' },
  { name: 'More casual', value: 'more casual' },
  { name: 'More urgent', value: 'more urgent' },
];

/** core:text2text:changetone: a rewrite in the chosen tone, split like the other rewrites when long. */
export const runChangeTone: BuiltInTaskHandler<'core:text2text:changetone'> = async (input, ctx, deps) => {
  const text = requireText(input.input);
  return { output: await rewriteInParts(text, changeTonePrompt(input.tone), 'changetone', ctx, deps) };
};
