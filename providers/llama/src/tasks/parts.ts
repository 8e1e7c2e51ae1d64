import { inputBudgetTokens, splitToFit } from '../split-to-fit.ts';
import type { TaskKind } from '../task-kinds.ts';
import type { LlamaDeps, TaskContext } from './deps.ts';

/**
 * `text` split into parts that fit one request of `kind` with `instruction` (see
 * inputBudgetTokens), and how many tokens that allows.
 */
export function partsFor(
  text: string,
  kind: TaskKind,
  instruction: string,
  purpose: 'condense' | 'rewrite',
  deps: LlamaDeps,
): { parts: string[]; budgetTokens: number } {
  const { generator } = deps;
  const instructionTokens = generator.promptTokens([
    { role: 'system', text: instruction },
    { role: 'user', text: '' },
  ]);
  const budgetTokens = inputBudgetTokens(generator.contextSize, instructionTokens, deps.config.generation[kind].maxTokens, purpose);
  return { parts: splitToFit(text, budgetTokens, generator.countTokens), budgetTokens };
}

/**
 * Runs `transform` over the parts in order and returns the results in that order, reporting
 * progress over `progressSpan` after each part when there is more than one.
 */
export async function mapParts(
  parts: string[],
  ctx: Pick<TaskContext, 'reportProgress'>,
  transform: (part: string) => Promise<string>,
  progressSpan: readonly [number, number] = [0, 1],
): Promise<string[]> {
  const [from, to] = progressSpan;
  const results: string[] = [];
  for (const part of parts) {
    results.push(await transform(part));
    if (parts.length > 1) await ctx.reportProgress(from + ((to - from) * results.length) / parts.length);
  }
  return results;
}
