/**
 * Every kind of task this provider can serve: the text types a chat model does with a prompt.
 * `key` names it in LLAMA_TYPES and in the per-kind variables (`LLAMA_MAX_TOKENS_<KEY>`).
 * `precise` kinds (the answer is determined by the text: a summary, a translation) default to a
 * low temperature; the others, where wording is the point, to a livelier one. `maxTokens` is
 * the kind's default cap where its answer is short by nature.
 */
export const taskKinds = [
  { key: 'text2text', taskType: 'core:text2text', precise: false },
  { key: 'chat', taskType: 'core:text2text:chat', precise: false },
  { key: 'formalization', taskType: 'core:text2text:formalization', precise: true },
  { key: 'headline', taskType: 'core:text2text:headline', precise: true, maxTokens: 64 },
  { key: 'reformulation', taskType: 'core:text2text:reformulation', precise: false },
  { key: 'simplification', taskType: 'core:text2text:simplification', precise: true },
  { key: 'summary', taskType: 'core:text2text:summary', precise: true },
  { key: 'topics', taskType: 'core:text2text:topics', precise: true, maxTokens: 128 },
  { key: 'translate', taskType: 'core:text2text:translate', precise: true },
  { key: 'changetone', taskType: 'core:text2text:changetone', precise: false },
  { key: 'proofread', taskType: 'core:text2text:proofread', precise: true },
  { key: 'improve', taskType: 'core:text2text:improve', precise: false },
  { key: 'reformatparagraphs', taskType: 'core:text2text:reformatparagraphs', precise: true },
  { key: 'contextwrite', taskType: 'core:contextwrite', precise: false },
  { key: 'generateemoji', taskType: 'core:generateemoji', precise: false, maxTokens: 16 },
] as const satisfies readonly TaskKindInfo[];

interface TaskKindInfo {
  key: string;
  taskType: string;
  precise: boolean;
  maxTokens?: number;
}

/** Short name of a task kind, e.g. `summary`. */
export type TaskKind = (typeof taskKinds)[number]['key'];

/** Default temperatures of precise and other kinds when neither LLAMA_TEMPERATURE_<KIND> nor LLAMA_TEMPERATURE is set. */
export const defaultTemperature = { precise: 0.2, other: 0.7 } as const;
/** Default cap on generated tokens of a kind without its own default. */
export const defaultMaxTokens = 1024;

/** Finds a kind by its key or its task type id; undefined when neither matches. */
export function findTaskKind(nameOrTaskType: string): TaskKind | undefined {
  const wanted = nameOrTaskType.trim().toLowerCase();
  return taskKinds.find((k) => k.key === wanted || k.taskType === wanted)?.key;
}
