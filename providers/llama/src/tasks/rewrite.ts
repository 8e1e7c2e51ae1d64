import { changeTonePrompt, detectLanguage, improvePrompt, languages, prompts, requireText, sameLanguage, translatePrompt } from '@taskproc/provider-sdk/text';
import type { TaskKind } from '../task-kinds.ts';
import { ask, streamParts } from './ask.ts';
import type { LlamaDeps, TaskContext } from './deps.ts';
import { mapParts, partsFor } from './parts.ts';

/**
 * Rewrites a text of any length with one instruction: split into parts that fit the context
 * (with room for an answer as long as the part), rewrite each, join them as paragraphs.
 */
export async function rewriteInParts(text: string, instruction: string, kind: TaskKind, ctx: TaskContext, deps: LlamaDeps): Promise<string> {
  const { parts } = partsFor(requireText(text), kind, instruction, 'rewrite', deps);
  const nextPart = streamParts(ctx, '\n\n');
  const answers = await mapParts(parts, ctx, (part) => ask(kind, instruction, part, ctx, deps, nextPart()));
  return answers.join('\n\n');
}

/** Not in providers/openai: Nextcloud's internal type that splits a text into paragraphs by topic. */
const reformatParagraphsPrompt = `Reformat the text the user sends into paragraphs, one per topic, separated by an empty line. Keep every sentence as it is; change only where the paragraphs break. Answer with the reformatted text only. ${sameLanguage}`;

/** The instruction of each rewriting kind, from the task's input. */
export const rewriteInstructions = {
  formalization: () => prompts.formalization,
  reformulation: () => prompts.reformulation,
  simplification: () => prompts.simplification,
  proofread: () => prompts.proofread,
  reformatparagraphs: () => reformatParagraphsPrompt,
  changetone: (input: { tone: string }) => changeTonePrompt(input.tone),
  improve: (input: { instructions: string }) => improvePrompt(input.instructions),
  /** Language codes become English names (models follow names more reliably); other values pass as they are. */
  translate: (input: { origin_language: string; target_language: string }) =>
    translatePrompt(
      input.origin_language === detectLanguage ? null : (languages[input.origin_language] ?? input.origin_language),
      languages[input.target_language] ?? input.target_language,
    ),
} as const;
