import { BuiltInTaskTypeId } from '@taskproc/spec';

/**
 * Every kind of task this provider can serve. `key` names it in environment variables
 * (`OPENAI_MODEL_<KEY>`) and in OPENAI_DISABLED_TYPES (either the key or the task type id);
 * without `OPENAI_MODEL_<KEY>`, the model is that of `sameModelAs` when set, else `defaultModel`,
 * else (chat kinds) `OPENAI_MODEL`.
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
  { key: 'changetone', taskType: BuiltInTaskTypeId.TextToTextChangeTone, api: 'chat' },
  { key: 'proofread', taskType: BuiltInTaskTypeId.TextToTextProofread, api: 'chat' },
  { key: 'improve', taskType: BuiltInTaskTypeId.TextToTextImprove, api: 'chat' },
  { key: 'contextwrite', taskType: BuiltInTaskTypeId.ContextWrite, api: 'chat' },
  { key: 'generateemoji', taskType: BuiltInTaskTypeId.GenerateEmoji, api: 'chat' },
  { key: 'chatwithtools', taskType: BuiltInTaskTypeId.TextToTextChatWithTools, api: 'chat' },
  // Chat completions with image parts: the model must accept images (gpt-4o-mini does).
  { key: 'analyzeimages', taskType: BuiltInTaskTypeId.AnalyzeImages, api: 'chat' },
  { key: 'audio2text', taskType: BuiltInTaskTypeId.AudioToText, api: 'transcription', defaultModel: 'whisper-1' },
  { key: 'text2image', taskType: BuiltInTaskTypeId.TextToImage, api: 'image', defaultModel: 'gpt-image-1' },
  // One image of the same kind as text2image's: an operator who picked an image model picked it for both.
  { key: 'text2imagesingle', taskType: BuiltInTaskTypeId.TextToImageSingle, api: 'image', sameModelAs: 'text2image' },
  {
    key: 'text2speech',
    taskType: BuiltInTaskTypeId.TextToSpeech,
    api: 'speech',
    defaultModel: 'gpt-4o-mini-tts',
    // This kind served a custom type of that id before Nextcloud's core:text2speech replaced it;
    // OPENAI_DISABLED_TYPES written for it still switches the kind off.
    formerTaskType: 'openai:text2speech',
  },
] as const satisfies readonly TaskKindInfo[];

interface TaskKindInfo {
  key: string;
  taskType: string;
  /** Which OpenAI endpoint serves it; chat kinds share OPENAI_MODEL as their default model. */
  api: 'chat' | 'transcription' | 'image' | 'speech';
  defaultModel?: string;
  /** The key of a kind listed before this one whose model this kind uses by default. */
  sameModelAs?: string;
  /** A task type id this kind served in an earlier version, still accepted by findTaskKind. */
  formerTaskType?: string;
}

/** Short name of a task kind, e.g. `summary`. */
export type TaskKind = (typeof taskKinds)[number]['key'];

/** Finds a kind by its key or its task type id; undefined when neither matches. */
export function findTaskKind(nameOrTaskType: string): TaskKind | undefined {
  const wanted = nameOrTaskType.trim().toLowerCase();
  return taskKinds.find(
    (k) => k.key === wanted || k.taskType.toLowerCase() === wanted || ('formerTaskType' in k && k.formerTaskType === wanted),
  )?.key;
}
