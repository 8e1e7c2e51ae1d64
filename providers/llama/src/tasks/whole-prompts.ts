import { historyTurns, prompts, requireText } from '@taskproc/provider-sdk/text';
import { ask, streamTo } from './ask.ts';
import type { LlamaDeps, TaskContext } from './deps.ts';

/**
 * core:text2text:chat: the app's system prompt, the history, then the new message, rendered by
 * the model's own chat template. Not split when long: dropping earlier turns silently would
 * change the conversation, so an overflow fails with "too long".
 */
export function chat(input: { input: string; system_prompt: string; history: string[] }, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  const systemPrompt = input.system_prompt.trim();
  return deps.generator.generate(
    {
      kind: 'chat',
      turns: [
        { role: 'system', text: systemPrompt ? `${systemPrompt}\n\n${prompts.chat}` : prompts.chat },
        ...historyTurns(input.history, ctx.logger),
        { role: 'user', text: requireText(input.input) },
      ],
      settings: deps.config.generation.chat,
      onText: streamTo(ctx),
    },
    ctx,
  );
}

/** core:text2text: the user's prompt as it is, one request (a prompt's parts cannot be answered apart). */
export function freePrompt(prompt: string, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  return ask('text2text', prompts.text2text, requireText(prompt), ctx, deps, streamTo(ctx));
}

/**
 * core:contextwrite: the source material in the style of the example. One request: every part
 * of the answer needs the whole example and the material.
 */
export function contextWrite(input: { style_input: string; source_input: string }, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  const material = `Writing style example:\n\n${requireText(input.style_input)}\n\nSource material:\n\n${requireText(input.source_input)}`;
  return ask('contextwrite', prompts.contextwrite, material, ctx, deps, streamTo(ctx));
}
