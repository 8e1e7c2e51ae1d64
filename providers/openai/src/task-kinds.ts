import { BuiltInTaskTypeId } from '@taskproc/spec';

/** The custom text-to-speech task type this provider brings (OpenAI's audio.speech endpoint). */
export const textToSpeechTaskTypeId = 'openai:text2speech';

/**
 * Every kind of task this provider can serve. `key` names it in environment variables
 * (`OPENAI_MODEL_<KEY>`) and in OPENAI_DISABLED_TYPES (either the key or the task type id);
 * `defaultModel` is used when neither `OPENAI_MODEL_<KEY>` nor, for chat kinds, `OPENAI_MODEL` is set.
 */
export const taskKinds = [
  { key: 'text2text', taskType: BuiltInTaskTypeId.TextToText, api: 'chat' },
  { key: 'chat', taskType: BuiltInTaskTypeId.TextToTextChat, api: 'chat' },
  { key: 'formalization', taskType: BuiltInTaskTypeId.TextToTextFormalization, api: 'chat' },
  { key: 'headline', taskType: BuiltInTaskTypeId.TextToTextHeadline, api: 'chat' },
  { key: 'reformulation', taskType: BuiltInTaskTypeId.TextToTextReformulation, api: 'chat' },
  { key: 'simplification', taskType: BuiltInTaskTypeId.TextToTextSimplification, api: 'chat' },
  { key: 'summary', taskType: BuiltInTaskTypeId.TextToTextSummary, api: 'chat' },
  { key: 'topics', taskType: BuiltInTaskTypeId.TextToTextTopics, api: 'chat' },
  { key: 'translate', taskType: BuiltInTaskTypeId.TextToTextTranslate, api: 'chat' },
  { key: 'audio2text', taskType: BuiltInTaskTypeId.AudioToText, api: 'transcription', defaultModel: 'whisper-1' },
  { key: 'text2image', taskType: BuiltInTaskTypeId.TextToImage, api: 'image', defaultModel: 'gpt-image-1' },
  { key: 'text2speech', taskType: textToSpeechTaskTypeId, api: 'speech', defaultModel: 'gpt-4o-mini-tts' },
] as const satisfies readonly TaskKindInfo[];

interface TaskKindInfo {
  key: string;
  taskType: string;
  /** Which OpenAI endpoint serves it; chat kinds share OPENAI_MODEL as their default model. */
  api: 'chat' | 'transcription' | 'image' | 'speech';
  defaultModel?: string;
}

/** Short name of a task kind, e.g. `summary`. */
export type TaskKind = (typeof taskKinds)[number]['key'];

/** Finds a kind by its key or its task type id; undefined when neither matches. */
export function findTaskKind(nameOrTaskType: string): TaskKind | undefined {
  const wanted = nameOrTaskType.trim().toLowerCase();
  return taskKinds.find((k) => k.key === wanted || k.taskType.toLowerCase() === wanted)?.key;
}
