import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockContext } from '@taskproc/provider-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyLlamaGguf } from '../scripts/tiny-llama.ts';
import { loadConfig, loadModel, renderPrompt, type GenerateRequest, type Generator, type LoadedModel } from '../src/index.ts';
import { chat } from '../src/tasks/whole-prompts.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

// The chat task's conversation as the model sees it: rendered by the template in the GGUF
// (the tiny model carries a ChatML one), with the app's system prompt, the history and the
// new message each in its own turn.
describe('the chat as the model\'s template renders it', () => {
  let dir: string;
  let loaded: LoadedModel;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chat-template-'));
    await writeFile(join(dir, 'tiny.gguf'), tinyLlamaGguf());
    const env = { TASKPROC_URL: 'http://127.0.0.1:1', TASKPROC_TOKEN: 't', LLAMA_MODEL_PATH: join(dir, 'tiny.gguf'), LLAMA_CONTEXT_SIZE: '512', LLAMA_THREADS: '1' };
    loaded = await loadModel(loadConfig(env), quiet);
  });
  afterAll(async () => {
    await loaded?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('puts the system prompt, each history turn and the message in ChatML turns, ending where the answer starts', async () => {
    let asked: GenerateRequest | undefined;
    const generator = { contextSize: 512, countTokens: () => 0, promptTokens: () => 0, generate: async (r: GenerateRequest) => ((asked = r), 'ok') } as Generator;
    const config = loadConfig({ TASKPROC_URL: 'http://127.0.0.1:1', TASKPROC_TOKEN: 't', LLAMA_MODEL_PATH: '/m.gguf' });
    const history = [JSON.stringify({ role: 'human', content: 'Hello there.' }), JSON.stringify({ role: 'assistant', content: 'Hello! How can I help?' })];
    await chat({ system_prompt: 'You are terse.', input: 'Say more.', history }, createMockContext(), { generator, config });

    expect(loaded.chatWrapper.wrapperName).toBe('ChatML');
    const prompt = renderPrompt(loaded.chatWrapper, asked!.turns).toString();
    // BOS is the beginning-of-text special token, as LlamaText writes it.
    expect(prompt).toMatch(/^BOS<\|im_start\|>system\nYou are terse\.\n\n/);
    expect(prompt).toContain('<|im_start|>user\nHello there.<|im_end|>');
    expect(prompt).toContain('<|im_start|>assistant\nHello! How can I help?<|im_end|>');
    expect(prompt).toMatch(/<\|im_start\|>user\nSay more\.<\|im_end|>\n<\|im_start\|>assistant\n$/);
  });
});
