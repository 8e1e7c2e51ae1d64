/**
 * @taskproc/provider-sdk/text: what a provider of the built-in text types needs whatever model
 * serves it (providers/openai over HTTP, providers/llama in process), so that every provider
 * says the same to its model and reads the slots the same way: the prompts, the language and
 * tone enums, the reading of a chat's `history`, refusing empty input, splitting long input,
 * cleaning short answers,
 * and dropping a reasoning model's `<think>` blocks.
 */
export { cleanHeadline, cleanTopics, firstEmoji } from './clean-output.ts';
export { historyTurns, type HistoryTurn } from './chat-history.ts';
export { detectLanguage, languages, translateEnumValues } from './languages.ts';
export { changeTonePrompt, improvePrompt, prompts, sameLanguage, translatePrompt } from './prompts.ts';
export { requireText } from './require-text.ts';
export { splitText } from './split-text.ts';
export { createThinkFilter, stripThinking } from './think-filter.ts';
export { toneEnumValues } from './tones.ts';
