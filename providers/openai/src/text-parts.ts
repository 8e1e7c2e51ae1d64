import type { OpenAiProviderConfig } from './config.ts';

/** Rough tokens-per-character ratio of English and most European text; good enough to plan splits. */
const charsPerToken = 4;
/** Tokens left for the instructions around the text. */
const promptOverheadTokens = 256;

/**
 * How many characters of input text fit into one request.
 *
 * - `condense` (summary, topics, headline): the answer is short, so the input takes what the
 *   answer does not: the context minus OPENAI_MAX_TOKENS (or a quarter of the context).
 * - `rewrite` (formalize, simplify, translate...): the answer is as long as the input, so the two
 *   share the context, and the input may not outgrow OPENAI_MAX_TOKENS.
 */
export function inputBudgetChars(
  config: Pick<OpenAiProviderConfig, 'contextTokens' | 'maxTokens'>,
  purpose: 'condense' | 'rewrite',
): number {
  const usable = config.contextTokens - promptOverheadTokens;
  const tokens =
    purpose === 'condense'
      ? usable - (config.maxTokens ?? Math.min(1024, Math.floor(config.contextTokens / 4)))
      : Math.min(Math.floor(usable / 2), config.maxTokens ?? Number.POSITIVE_INFINITY);
  return Math.max(64, tokens) * charsPerToken;
}
