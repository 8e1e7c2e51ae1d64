import { splitText } from '@taskproc/provider-sdk/text';

/**
 * Splits `text` into parts of at most `budgetTokens` tokens each, counted with the model's own
 * tokenizer (not estimated), at the coarsest boundary that works (paragraph, line, sentence,
 * word). A part still too long after the split by characters is split again, smaller.
 */
export function splitToFit(text: string, budgetTokens: number, countTokens: (text: string) => number): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const tokens = countTokens(trimmed);
  if (tokens <= budgetTokens) return [trimmed];
  // This text's own characters per token, so the character split lands near the budget.
  const maxChars = Math.max(1, Math.floor((budgetTokens * trimmed.length) / tokens));
  return splitText(trimmed, maxChars).flatMap((part) => (countTokens(part) <= budgetTokens ? [part] : splitToFit(part, budgetTokens, countTokens)));
}

/** Tokens of the prompt around the text, kept free besides the budget (a little more than measured, for the joins). */
const joinMarginTokens = 8;

/**
 * How many tokens of input text one request can take.
 *
 * - `condense` (summary, topics, headline): the answer is short, so the input takes what the
 *   answer (the kind's max tokens) leaves of the context.
 * - `rewrite` (formalize, simplify, translate...): the answer is as long as the input, so the two
 *   share the context, and the input may not outgrow the kind's max tokens.
 */
export function inputBudgetTokens(
  contextSize: number,
  instructionTokens: number,
  maxTokens: number,
  purpose: 'condense' | 'rewrite',
): number {
  const usable = contextSize - instructionTokens - joinMarginTokens;
  if (purpose === 'condense') {
    // A max-tokens setting near the context must not starve the input: the answer is kept to
    // half of it at most (generate() caps it to the room left anyway).
    return Math.max(32, usable - Math.min(maxTokens, Math.floor(usable / 2)));
  }
  // A part never longer than its answer may be, or the rewrite would be cut off.
  return Math.max(Math.min(32, maxTokens), Math.min(Math.floor(usable / 2), maxTokens));
}
