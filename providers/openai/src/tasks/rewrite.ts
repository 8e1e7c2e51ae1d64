import { completeChat, streamParts } from '../complete-chat.ts';
import { mapParts } from '../map-parts.ts';
import type { TaskKind } from '../task-kinds.ts';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';
import { inputBudgetChars } from '../text-parts.ts';
import { prompts, requireText } from '@taskproc/provider-sdk/text';
import { type TaskHandler } from './task-handler.ts';

/**
 * Rewrites a text of any length with one instruction: split into parts that fit the context
 * (with room for an answer as long as the part), rewrite each, join them as paragraphs.
 */
export async function rewriteInParts(
  text: string,
  instruction: string,
  kind: TaskKind,
  ctx: TaskContext,
  deps: OpenAiDeps,
): Promise<string> {
  const nextPart = streamParts(ctx, '\n\n');
  const parts = await mapParts(text, { budgetChars: inputBudgetChars(deps.config, 'rewrite'), ctx }, (part) =>
    completeChat(
      [
        { role: 'system', content: instruction },
        { role: 'user', content: part },
      ],
      kind,
      ctx,
      deps,
      nextPart(),
    ),
  );
  return parts.join('\n\n');
}

/**
 * A handler for a type whose only input is the text to work through with a fixed instruction.
 * Proofreading fits too: its corrections of each part are listed in the order of the parts.
 */
function rewriteHandler(
  kind: 'formalization' | 'reformulation' | 'simplification' | 'proofread',
): TaskHandler<{ input: { input: string }; output: { output: string } }> {
  return async (input, ctx, deps) => {
    const text = requireText(input.input);
    return { output: await rewriteInParts(text, prompts[kind], kind, ctx, deps) };
  };
}

/** core:text2text:formalization. */
export const runFormalization = rewriteHandler('formalization');
/** core:text2text:reformulation. */
export const runReformulation = rewriteHandler('reformulation');
/** core:text2text:simplification. */
export const runSimplification = rewriteHandler('simplification');
/** core:text2text:proofread. */
export const runProofread = rewriteHandler('proofread');
