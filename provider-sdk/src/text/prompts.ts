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
  proofread: `Proofread ${userText}. List each spelling, grammar or punctuation mistake with its correction, one per line, without repeating the whole text. When there is nothing to correct, say so in one short sentence. ${sameLanguage}`,
  /** Context write: the user message holds the style example and the source material, labelled. */
  contextwrite:
    'The user sends an example of a writing style and some source material. Write a text with the content of the source material in the writing style of the example. Answer with the new text only, in the language of the source material.',
  generateemoji: 'Answer with exactly one emoji that best represents the text the user sends: the emoji only, without words or punctuation.',
  analyzeimages: "Answer the user's question about the images they send, based on what the images show. Answer in the language of the question.",
} as const;

/**
 * Change tone: `tone` is one of the values the provider declares (tasks/change-tone.ts), a
 * phrase such as "more formal" that reads naturally in the instruction.
 */
export function changeTonePrompt(tone: string): string {
  return `Rewrite ${userText} in a ${tone} tone, keeping its meaning. Answer with the rewritten text only. ${sameLanguage}`;
}

/** Improve: the app's (or user's) instructions, or a general improvement when there are none. */
export function improvePrompt(instructions: string): string {
  const asked = instructions.trim() || 'Improve its clarity, flow, spelling and grammar.';
  return `Improve ${userText} as the instructions below say, keeping its meaning unless they ask otherwise. Answer with the improved text only. Keep the language of the text unless the instructions ask for another one.\n\nInstructions:\n${asked}`;
}

/** Translation: from a named language, or from whatever the text is in (`null`). */
export function translatePrompt(origin: string | null, target: string): string {
  const from = origin ? ` from ${origin}` : '';
  return `Translate ${userText}${from} to ${target}. Answer with the translation only, without notes or explanations.`;
}
