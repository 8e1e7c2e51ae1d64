/**
 * The instructions sent with each kind of task. Each asks for exactly the promised output, and
 * those that rewrite the user's text keep its language: models otherwise tend to answer in the
 * language of the instructions (English). The language sentence is the one Nextcloud's Task
 * Processing documentation recommends.
 */
export const sameLanguage =
  'Detect the language used in the text and make sure to answer in the same language without mentioning the language explicitly.';

const userText = 'the text the user sends';

export const prompts = {
  /** Free prompt: the user's own words; only the language default is added. */
  text2text: 'Answer in the language of the prompt unless the prompt asks for another language.',
  /** Appended to the app's system prompt of a chat. */
  chat: "Answer in the language of the user's latest message unless asked otherwise.",
  formalization: `Rewrite ${userText} so that it sounds more formal, keeping its meaning. Answer with the rewritten text only. ${sameLanguage}`,
  reformulation: `Reformulate ${userText}: say the same in different words, keeping its meaning. Answer with the reformulated text only. ${sameLanguage}`,
  simplification: `Rewrite ${userText} in simpler words and shorter sentences so that it is easy to understand, keeping its meaning. Answer with the simplified text only. ${sameLanguage}`,
  summary: `Summarize ${userText}. Answer with the summary only, without an introduction or a title. ${sameLanguage}`,
  /** Second step of a long text: the user message holds the summaries of its consecutive parts. */
  combineSummaries: `The user sends summaries of consecutive parts of one text. Combine them into one coherent summary of the whole text. Answer with the summary only, without an introduction or a title. ${sameLanguage}`,
  headline: `Write one headline for ${userText}. Answer with the headline only: a single line, without quotes. ${sameLanguage}`,
  topics: `Extract the main topics of ${userText}. Answer with the topics only, as one comma-separated list of short keywords, without numbering or explanations. ${sameLanguage}`,
} as const;

/** Translation: from a named language, or from whatever the text is in (`null`). */
export function translatePrompt(origin: string | null, target: string): string {
  const from = origin ? ` from ${origin}` : '';
  return `Translate ${userText}${from} to ${target}. Answer with the translation only, without notes or explanations.`;
}
