import { defineProvider, type ProviderDefinition } from '@taskproc/provider-sdk';
import { translateEnumValues } from './languages.ts';
import { taskKinds, type TaskKind } from './task-kinds.ts';
import type { OpenAiDeps } from './task-context.ts';
import { runChat } from './tasks/chat.ts';
import { runFreePrompt } from './tasks/free-prompt.ts';
import { runImageGeneration } from './tasks/generate-images.ts';
import { runHeadline } from './tasks/headline.ts';
import { runFormalization, runReformulation, runSimplification } from './tasks/rewrite.ts';
import { runTextToSpeech, textToSpeechTaskType, voiceEnumValues } from './tasks/speak.ts';
import { runSummary } from './tasks/summarize.ts';
import { runTopics } from './tasks/topics.ts';
import { runTranscription } from './tasks/transcribe.ts';
import { runTranslate } from './tasks/translate.ts';

/**
 * The providers this process registers: one per enabled task kind, with id
 * `<OPENAI_PROVIDER_PREFIX>:<kind>` (e.g. `openai:summary`), in the order of task-kinds.ts.
 */
export function createOpenAiProviders(deps: OpenAiDeps): ProviderDefinition[] {
  const { config } = deps;
  const name = config.serviceName;
  const id = (kind: TaskKind) => `${config.providerPrefix}:${kind}`;
  const define: Record<TaskKind, () => ProviderDefinition> = {
    text2text: () =>
      defineProvider({
        id: id('text2text'),
        name,
        taskType: 'core:text2text',
        expectedRuntime: 20,
        process: (input, ctx) => runFreePrompt(input, ctx, deps),
      }),
    chat: () =>
      defineProvider({
        id: id('chat'),
        name,
        taskType: 'core:text2text:chat',
        expectedRuntime: 20,
        inputShapeDefaults: { system_prompt: '' },
        process: (input, ctx) => runChat(input, ctx, deps),
      }),
    formalization: () =>
      defineProvider({
        id: id('formalization'),
        name,
        taskType: 'core:text2text:formalization',
        expectedRuntime: 20,
        process: (input, ctx) => runFormalization(input, ctx, deps),
      }),
    headline: () =>
      defineProvider({
        id: id('headline'),
        name,
        taskType: 'core:text2text:headline',
        expectedRuntime: 10,
        process: (input, ctx) => runHeadline(input, ctx, deps),
      }),
    reformulation: () =>
      defineProvider({
        id: id('reformulation'),
        name,
        taskType: 'core:text2text:reformulation',
        expectedRuntime: 20,
        process: (input, ctx) => runReformulation(input, ctx, deps),
      }),
    simplification: () =>
      defineProvider({
        id: id('simplification'),
        name,
        taskType: 'core:text2text:simplification',
        expectedRuntime: 20,
        process: (input, ctx) => runSimplification(input, ctx, deps),
      }),
    summary: () =>
      defineProvider({
        id: id('summary'),
        name,
        taskType: 'core:text2text:summary',
        expectedRuntime: 20,
        process: (input, ctx) => runSummary(input, ctx, deps),
      }),
    topics: () =>
      defineProvider({
        id: id('topics'),
        name,
        taskType: 'core:text2text:topics',
        expectedRuntime: 10,
        process: (input, ctx) => runTopics(input, ctx, deps),
      }),
    translate: () =>
      defineProvider({
        id: id('translate'),
        name,
        taskType: 'core:text2text:translate',
        expectedRuntime: 20,
        inputShapeEnumValues: translateEnumValues,
        process: (input, ctx) => runTranslate(input, ctx, deps),
      }),
    audio2text: () =>
      defineProvider({
        id: id('audio2text'),
        name,
        taskType: 'core:audio2text',
        expectedRuntime: 60,
        process: (input, ctx) => runTranscription(input, ctx, deps),
      }),
    text2image: () =>
      defineProvider({
        id: id('text2image'),
        name,
        taskType: 'core:text2image',
        expectedRuntime: 30,
        inputShapeDefaults: { numberOfImages: 1 },
        process: (input, ctx) => runImageGeneration(input, ctx, deps),
      }),
    text2speech: () =>
      defineProvider({
        id: id('text2speech'),
        name,
        taskType: textToSpeechTaskType.id,
        customTaskType: textToSpeechTaskType,
        expectedRuntime: 20,
        inputShapeEnumValues: { voice: voiceEnumValues },
        process: (input, ctx) => runTextToSpeech(input, ctx, deps),
      }),
  };
  return taskKinds.filter((k) => config.enabledKinds.has(k.key)).map((k) => define[k.key]());
}
