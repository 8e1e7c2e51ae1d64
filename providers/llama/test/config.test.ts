import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

const base = { TASKPROC_URL: 'http://127.0.0.1:8700', TASKPROC_TOKEN: 'tp_provider', LLAMA_MODEL_PATH: '/models/qwen2.5-1.5b-instruct-q4_k_m.gguf' };

describe('llama provider configuration', () => {
  it('has defaults for everything but the coordinator, the token and the model', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      modelPath: base.LLAMA_MODEL_PATH,
      contextSize: 4096,
      concurrency: 1,
      threads: undefined,
      gpuLayers: 0,
      graceMs: 10_000,
      providerPrefix: 'llama',
      serviceName: 'Local model (qwen2.5-1.5b-instruct-q4_k_m.gguf)',
    });
    expect(config.enabledKinds.size).toBe(15);
    // Precise kinds run cool, wording kinds livelier; short answers have short caps.
    expect(config.generation.summary).toEqual({ maxTokens: 1024, temperature: 0.2 });
    expect(config.generation.chat).toEqual({ maxTokens: 1024, temperature: 0.7 });
    expect(config.generation.headline).toEqual({ maxTokens: 64, temperature: 0.2 });
  });

  it('takes a kind\'s own setting over the global one over the kind\'s default', () => {
    const config = loadConfig({ ...base, LLAMA_MAX_TOKENS: '300', LLAMA_MAX_TOKENS_CHAT: '2000', LLAMA_TEMPERATURE: '0.5', LLAMA_TEMPERATURE_TRANSLATE: '0' });
    expect(config.generation.chat).toEqual({ maxTokens: 2000, temperature: 0.5 });
    expect(config.generation.translate).toEqual({ maxTokens: 300, temperature: 0 });
    // The global cap lowers a short kind's limit but never raises it.
    expect(config.generation.headline).toEqual({ maxTokens: 64, temperature: 0.5 });
    expect(loadConfig({ ...base, LLAMA_MAX_TOKENS: '20' }).generation.headline.maxTokens).toBe(20);
    expect(loadConfig({ ...base, LLAMA_MAX_TOKENS: '4096' }).generation.summary.maxTokens).toBe(4096);
  });

  it('serves the kinds LLAMA_TYPES names, by key or task type id', () => {
    expect([...loadConfig({ ...base, LLAMA_TYPES: 'summary, core:text2text:chat' }).enabledKinds]).toEqual(['summary', 'chat']);
  });

  it('reads GPU layers as a number, auto or max', () => {
    expect(loadConfig({ ...base, LLAMA_GPU_LAYERS: '20' }).gpuLayers).toBe(20);
    expect(loadConfig({ ...base, LLAMA_GPU_LAYERS: 'max' }).gpuLayers).toBe('max');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        TASKPROC_URL: 'ftp://x',
        LLAMA_CONTEXT_SIZE: '100',
        LLAMA_CONCURRENCY: 'two',
        LLAMA_GPU_LAYERS: 'some',
        LLAMA_TEMPERATURE_CHAT: '3',
        LLAMA_TYPES: 'summary,speech',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['TASKPROC_URL', 'TASKPROC_TOKEN', 'LLAMA_MODEL_PATH: required', 'LLAMA_CONTEXT_SIZE', 'LLAMA_CONCURRENCY', 'LLAMA_GPU_LAYERS', 'LLAMA_TEMPERATURE_CHAT', 'LLAMA_TYPES: unknown task type "speech"']) {
      expect(message).toContain(name);
    }
  });
});
