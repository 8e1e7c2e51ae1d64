import { defineProvider, type ProviderDefinition } from '@taskproc/provider-sdk';
import { toneEnumValues, translateEnumValues } from '@taskproc/provider-sdk/text';
import { taskKinds, type TaskKind } from './task-kinds.ts';
import type { OpenAiDeps } from './task-context.ts';
import { runAnalyzeImages } from './tasks/analyze-images.ts';
import { runChangeTone } from './tasks/change-tone.ts';
import { runChat } from './tasks/chat.ts';
import { runChatWithTools } from './tasks/chat-with-tools.ts';
import { runContextWrite } from './tasks/context-write.ts';
import { runFreePrompt } from './tasks/free-prompt.ts';
import { runGenerateEmoji } from './tasks/generate-emoji.ts';
import { runImageGeneration, runSingleImageGeneration } from './tasks/generate-images.ts';
import { runHeadline } from './tasks/headline.ts';
import { runImprove } from './tasks/improve.ts';
import { runFormalization, runProofread, runReformulation, runSimplification } from './tasks/rewrite.ts';
import { runTextToSpeech, speechOptionalInputShape, voiceEnumValues } from './tasks/speak.ts';
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
    changetone: () =>
      defineProvider({
        id: id('changetone'),
        name,
        taskType: 'core:text2text:changetone',
        expectedRuntime: 20,
        inputShapeEnumValues: { tone: toneEnumValues },
        process: (input, ctx) => runChangeTone(input, ctx, deps),
      }),
    proofread: () =>
      defineProvider({
        id: id('proofread'),
        name,
        taskType: 'core:text2text:proofread',
        expectedRuntime: 20,
        process: (input, ctx) => runProofread(input, ctx, deps),
      }),
    improve: () =>
      defineProvider({
        id: id('improve'),
        name,
        taskType: 'core:text2text:improve',
        expectedRuntime: 20,
        // Apps may leave the instructions out: a general improvement is asked for then.
        inputShapeDefaults: { instructions: '' },
        process: (input, ctx) => runImprove(input, ctx, deps),
      }),
    contextwrite: () =>
      defineProvider({
        id: id('contextwrite'),
        name,
        taskType: 'core:contextwrite',
        expectedRuntime: 20,
        process: (input, ctx) => runContextWrite(input, ctx, deps),
      }),
    generateemoji: () =>
      defineProvider({
        id: id('generateemoji'),
        name,
        taskType: 'core:generateemoji',
        expectedRuntime: 5,
        process: (input, ctx) => runGenerateEmoji(input, ctx, deps),
      }),
    chatwithtools: () =>
      defineProvider({
        id: id('chatwithtools'),
        name,
        taskType: 'core:text2text:chatwithtools',
        expectedRuntime: 20,
        // A first turn has no tool results, a tool-results turn may have no new message.
        inputShapeDefaults: { system_prompt: '', input: '', tool_message: '' },
        process: (input, ctx) => runChatWithTools(input, ctx, deps),
      }),
    analyzeimages: () =>
      defineProvider({
        id: id('analyzeimages'),
        name,
        taskType: 'core:analyze-images',
        expectedRuntime: 30,
        process: (input, ctx) => runAnalyzeImages(input, ctx, deps),
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
    text2imagesingle: () =>
      defineProvider({
        id: id('text2imagesingle'),
        name,
        taskType: 'core:text2image:single',
        expectedRuntime: 30,
        process: (input, ctx) => runSingleImageGeneration(input, ctx, deps),
      }),
    text2speech: () =>
      defineProvider({
        id: id('text2speech'),
        name,
        taskType: 'core:text2speech',
        expectedRuntime: 20,
        optionalInputShape: speechOptionalInputShape,
        optionalInputShapeEnumValues: { voice: voiceEnumValues },
        process: (input, ctx) => runTextToSpeech(input, ctx, deps),
      }),
  };
  return taskKinds.filter((k) => config.enabledKinds.has(k.key)).map((k) => define[k.key]());
}
