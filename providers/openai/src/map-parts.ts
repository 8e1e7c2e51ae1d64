import { ContextLengthError } from './api-errors.ts';
import type { TaskContext } from './task-context.ts';
import { splitText } from '@taskproc/provider-sdk/text';

/** Below this, halving a part further would not help: the instructions alone overflow the context. */
const minPartChars = 200;

export interface MapPartsOptions {
  /** Largest part to send, in characters (text-parts.ts inputBudgetChars). */
  budgetChars: number;
  ctx: Pick<TaskContext, 'reportProgress' | 'logger'>;
  /** Share of the task's progress this step covers, e.g. [0, 0.8] before a final combining call. */
  progressSpan?: readonly [number, number];
}

/**
 * Runs `transform` over `text` split into parts that fit the context, in order, and returns the
 * results in the same order. When the API still says a part is too long (the chars/4 estimate is
 * only an estimate), the budget is halved and that part and every later one are split smaller:
 * nothing is silently truncated. Progress is reported after each part when there is more than one.
 */
export async function mapParts(
  text: string,
  options: MapPartsOptions,
  transform: (part: string) => Promise<string>,
): Promise<string[]> {
  const { ctx } = options;
  const [from, to] = options.progressSpan ?? [0, 1];
  let budget = options.budgetChars;
  const queue = splitText(text, budget);
  const results: string[] = [];
  while (queue.length > 0) {
    const part = queue.shift()!;
    if (part.length > budget) {
      queue.unshift(...splitText(part, budget));
      continue;
    }
    try {
      results.push(await transform(part));
    } catch (error) {
      if (!(error instanceof ContextLengthError) || part.length < minPartChars * 2) throw error;
      budget = Math.floor(part.length / 2);
      ctx.logger.info({ partChars: part.length, budgetChars: budget }, 'part too long for the model context; splitting further');
      queue.unshift(part);
      continue;
    }
    const total = results.length + queue.length;
    if (total > 1) await ctx.reportProgress(from + ((to - from) * results.length) / total);
  }
  return results;
}
