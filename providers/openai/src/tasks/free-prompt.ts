import { completeChat, streamTo } from '../complete-chat.ts';
import { prompts, requireText } from '@taskproc/provider-sdk/text';
import { type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2text: the user's prompt as it is. Not split when long: a prompt is one request
 * whose parts cannot be answered separately, so an overflow fails with "too long".
 */
export const runFreePrompt: BuiltInTaskHandler<'core:text2text'> = async (input, ctx, deps) => {
  const prompt = requireText(input.input);
  const output = await completeChat(
    [
      { role: 'system', content: prompts.text2text },
      { role: 'user', content: prompt },
    ],
    'text2text',
    ctx,
    deps,
    streamTo(ctx),
  );
  return { output };
};
