import { defineProvider, type ProviderDefinition } from '@taskproc/provider-sdk';
import { requireText, toneEnumValues, translateEnumValues } from '@taskproc/provider-sdk/text';
import { taskKinds, type TaskKind } from './task-kinds.ts';
import { streamTo } from './tasks/ask.ts';
import type { LlamaDeps } from './tasks/deps.ts';
import { rewriteInParts, rewriteInstructions as instructions } from './tasks/rewrite.ts';
import { listTopics, pickEmoji, writeHeadline } from './tasks/short-answers.ts';
import { summarize } from './tasks/summarize.ts';
import { chat, contextWrite, freePrompt } from './tasks/whole-prompts.ts';

export interface LlamaProvidersOptions {
  deps: LlamaDeps;
  enabledKinds: ReadonlySet<TaskKind>;
  providerPrefix: string;
  serviceName: string;
}

/**
 * The providers this process registers: one per enabled kind, id `<LLAMA_PROVIDER_PREFIX>:<kind>`
 * (e.g. `llama:summary`), in the order of task-kinds.ts. Every one runs on the same loaded model.
 */
export function createLlamaProviders({ deps, enabledKinds, providerPrefix, serviceName: name }: LlamaProvidersOptions): ProviderDefinition[] {
  const id = (kind: TaskKind) => `${providerPrefix}:${kind}`;
  // A local model is slower than a hosted one; these are the coordinator's first guesses until
  // it has measured run times of its own.
  const expectedRuntime = 60;
  const define: Record<TaskKind, () => ProviderDefinition> = {
    text2text: () =>
      defineProvider({
        id: id('text2text'), name, taskType: 'core:text2text', expectedRuntime,
        process: async (input, ctx) => ({ output: await freePrompt(input.input, ctx, deps) }),
      }),
    chat: () =>
      defineProvider({
        id: id('chat'), name, taskType: 'core:text2text:chat', expectedRuntime,
        inputShapeDefaults: { system_prompt: '' },
        process: async (input, ctx) => ({ output: await chat(input, ctx, deps) }),
      }),
    formalization: () =>
      defineProvider({
        id: id('formalization'), name, taskType: 'core:text2text:formalization', expectedRuntime,
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.formalization(), 'formalization', ctx, deps) }),
      }),
    headline: () =>
      defineProvider({
        id: id('headline'), name, taskType: 'core:text2text:headline', expectedRuntime: 20,
        process: async (input, ctx) => ({ output: await writeHeadline(input.input, ctx, deps) }),
      }),
    reformulation: () =>
      defineProvider({
        id: id('reformulation'), name, taskType: 'core:text2text:reformulation', expectedRuntime,
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.reformulation(), 'reformulation', ctx, deps) }),
      }),
    simplification: () =>
      defineProvider({
        id: id('simplification'), name, taskType: 'core:text2text:simplification', expectedRuntime,
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.simplification(), 'simplification', ctx, deps) }),
      }),
    summary: () =>
      defineProvider({
        id: id('summary'), name, taskType: 'core:text2text:summary', expectedRuntime,
        process: async (input, ctx) => ({ output: await summarize(requireText(input.input), ctx, deps, streamTo(ctx)) }),
      }),
    topics: () =>
      defineProvider({
        id: id('topics'), name, taskType: 'core:text2text:topics', expectedRuntime: 20,
        process: async (input, ctx) => ({ output: await listTopics(input.input, ctx, deps) }),
      }),
    translate: () =>
      defineProvider({
        id: id('translate'), name, taskType: 'core:text2text:translate', expectedRuntime,
        inputShapeEnumValues: translateEnumValues,
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.translate(input), 'translate', ctx, deps) }),
      }),
    changetone: () =>
      defineProvider({
        id: id('changetone'), name, taskType: 'core:text2text:changetone', expectedRuntime,
        inputShapeEnumValues: { tone: toneEnumValues },
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.changetone(input), 'changetone', ctx, deps) }),
      }),
    proofread: () =>
      defineProvider({
        id: id('proofread'), name, taskType: 'core:text2text:proofread', expectedRuntime,
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.proofread(), 'proofread', ctx, deps) }),
      }),
    improve: () =>
      defineProvider({
        id: id('improve'), name, taskType: 'core:text2text:improve', expectedRuntime,
        // Apps may leave the instructions out: a general improvement is asked for then.
        inputShapeDefaults: { instructions: '' },
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.improve(input), 'improve', ctx, deps) }),
      }),
    reformatparagraphs: () =>
      defineProvider({
        id: id('reformatparagraphs'), name, taskType: 'core:text2text:reformatparagraphs', expectedRuntime,
        process: async (input, ctx) => ({ output: await rewriteInParts(input.input, instructions.reformatparagraphs(), 'reformatparagraphs', ctx, deps) }),
      }),
    contextwrite: () =>
      defineProvider({
        id: id('contextwrite'), name, taskType: 'core:contextwrite', expectedRuntime,
        process: async (input, ctx) => ({ output: await contextWrite(input, ctx, deps) }),
      }),
    generateemoji: () =>
      defineProvider({
        id: id('generateemoji'), name, taskType: 'core:generateemoji', expectedRuntime: 10,
        process: async (input, ctx) => ({ output: await pickEmoji(input.input, ctx, deps) }),
      }),
  };
  return taskKinds.filter((k) => enabledKinds.has(k.key)).map((k) => define[k.key]());
}
