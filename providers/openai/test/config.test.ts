import { describe, expect, it } from 'vitest';
import { ConfigError, createOpenAiProviders, loadConfig, sleepAbortably } from '../src/index.ts';
import { createOpenAiClient } from '../src/create-client.ts';

const base = { TASKPROC_URL: 'http://127.0.0.1:8700', TASKPROC_TOKEN: 'tp_provider' };

describe('configuration from the environment', () => {
  it('refuses to start against OpenAI without a key, naming the variable', () => {
    expect(() => loadConfig(base)).toThrow(ConfigError);
    expect(() => loadConfig(base)).toThrow(/OPENAI_API_KEY: required for the official OpenAI API/);
    expect(() => loadConfig({ ...base, OPENAI_BASE_URL: 'https://api.openai.com/v1' })).toThrow(/OPENAI_API_KEY/);
  });

  it('needs no key for a local OpenAI-compatible server', () => {
    const config = loadConfig({ ...base, OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.1' });
    expect(config).toMatchObject({
      apiKey: undefined,
      baseUrl: 'http://127.0.0.1:11434/v1',
      official: false,
      serviceName: 'OpenAI-compatible (127.0.0.1:11434)',
    });
    expect(config.models.summary).toBe('llama3.1');
  });

  it('has documented defaults', () => {
    const config = loadConfig({ ...base, OPENAI_API_KEY: 'sk-x' });
    expect(config).toMatchObject({
      official: true,
      serviceName: 'OpenAI',
      maxTokens: undefined,
      contextTokens: 8192,
      timeoutMs: 120_000,
      maxRetries: 3,
      maxRetryDelayMs: 60_000,
      concurrency: 4,
      imageSize: '1024x1024',
      providerPrefix: 'openai',
    });
    expect(config.models).toEqual({
      text2text: 'gpt-4o-mini',
      chat: 'gpt-4o-mini',
      formalization: 'gpt-4o-mini',
      headline: 'gpt-4o-mini',
      reformulation: 'gpt-4o-mini',
      simplification: 'gpt-4o-mini',
      summary: 'gpt-4o-mini',
      topics: 'gpt-4o-mini',
      translate: 'gpt-4o-mini',
      changetone: 'gpt-4o-mini',
      proofread: 'gpt-4o-mini',
      improve: 'gpt-4o-mini',
      contextwrite: 'gpt-4o-mini',
      generateemoji: 'gpt-4o-mini',
      chatwithtools: 'gpt-4o-mini',
      analyzeimages: 'gpt-4o-mini',
      audio2text: 'whisper-1',
      text2image: 'gpt-image-1',
      text2imagesingle: 'gpt-image-1',
      text2speech: 'gpt-4o-mini-tts',
    });
    expect(config.enabledKinds.size).toBe(20);
  });

  it('takes a model per type and switches types off by kind or task type id', () => {
    const config = loadConfig({
      ...base,
      OPENAI_API_KEY: 'sk-x',
      OPENAI_MODEL: 'gpt-4.1-mini',
      OPENAI_MODEL_SUMMARY: 'gpt-4.1',
      OPENAI_MODEL_AUDIO2TEXT: 'gpt-4o-transcribe',
      OPENAI_DISABLED_TYPES: 'text2image, core:audio2text,openai:text2speech',
    });
    expect(config.models.summary).toBe('gpt-4.1');
    expect(config.models.headline).toBe('gpt-4.1-mini');
    expect(config.models.audio2text).toBe('gpt-4o-transcribe');
    expect([...config.enabledKinds]).not.toContain('text2image');
    expect([...config.enabledKinds]).not.toContain('audio2text');
    // The id the speech kind served before it moved to core:text2speech still names it.
    expect([...config.enabledKinds]).not.toContain('text2speech');
    expect(config.enabledKinds.size).toBe(17);
  });

  it('gives single images the text2image model unless they have their own', () => {
    const shared = loadConfig({ ...base, OPENAI_API_KEY: 'sk-x', OPENAI_MODEL_TEXT2IMAGE: 'dall-e-3' });
    expect(shared.models.text2imagesingle).toBe('dall-e-3');
    const own = loadConfig({ ...base, OPENAI_API_KEY: 'sk-x', OPENAI_MODEL_TEXT2IMAGE: 'dall-e-3', OPENAI_MODEL_TEXT2IMAGESINGLE: 'gpt-image-1' });
    expect(own.models.text2imagesingle).toBe('gpt-image-1');
    expect(own.models.text2image).toBe('dall-e-3');
  });

  it('names every bad variable in one error', () => {
    let message = '';
    try {
      loadConfig({ TASKPROC_URL: 'not a url', OPENAI_API_KEY: 'k', OPENAI_TIMEOUT_MS: 'soon', OPENAI_DISABLED_TYPES: 'summary,poetry' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TASKPROC_URL/);
    expect(message).toMatch(/TASKPROC_TOKEN/);
    expect(message).toMatch(/OPENAI_TIMEOUT_MS/);
    // Checks across variables run too, though others already failed: one start names them all.
    expect(message).toMatch(/OPENAI_DISABLED_TYPES: unknown task type "poetry"/);
    expect(() => loadConfig({ ...base, OPENAI_API_KEY: 'k', OPENAI_DISABLED_TYPES: 'summary,poetry' })).toThrow(
      /OPENAI_DISABLED_TYPES: unknown task type "poetry"/,
    );
  });

  it('takes only http(s) URLs, naming the variable (the SDK would otherwise refuse it with a stack trace)', () => {
    expect(() => loadConfig({ ...base, OPENAI_API_KEY: 'k', TASKPROC_URL: 'ftp://127.0.0.1:8700' })).toThrow(
      /TASKPROC_URL: must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(() => loadConfig({ ...base, OPENAI_BASE_URL: 'file:///models' })).toThrow(/OPENAI_BASE_URL: must be an http/);
  });
});

describe('the providers this process registers', () => {
  const depsFor = (env: Record<string, string>) => {
    const config = loadConfig({ ...base, OPENAI_API_KEY: 'sk-x', ...env });
    return { client: createOpenAiClient(config), config, sleep: sleepAbortably, random: Math.random, now: Date.now };
  };

  it('registers one provider per enabled type with the declared enum values and defaults', () => {
    const providers = createOpenAiProviders(depsFor({ OPENAI_DISABLED_TYPES: 'chat' }));
    expect(providers.map((p) => [p.id, p.descriptor.taskType])).toEqual([
      ['openai:text2text', 'core:text2text'],
      ['openai:formalization', 'core:text2text:formalization'],
      ['openai:headline', 'core:text2text:headline'],
      ['openai:reformulation', 'core:text2text:reformulation'],
      ['openai:simplification', 'core:text2text:simplification'],
      ['openai:summary', 'core:text2text:summary'],
      ['openai:topics', 'core:text2text:topics'],
      ['openai:translate', 'core:text2text:translate'],
      ['openai:changetone', 'core:text2text:changetone'],
      ['openai:proofread', 'core:text2text:proofread'],
      ['openai:improve', 'core:text2text:improve'],
      ['openai:contextwrite', 'core:contextwrite'],
      ['openai:generateemoji', 'core:generateemoji'],
      ['openai:chatwithtools', 'core:text2text:chatwithtools'],
      ['openai:analyzeimages', 'core:analyze-images'],
      ['openai:audio2text', 'core:audio2text'],
      ['openai:text2image', 'core:text2image'],
      ['openai:text2imagesingle', 'core:text2image:single'],
      ['openai:text2speech', 'core:text2speech'],
    ]);
    const byId = Object.fromEntries(providers.map((p) => [p.id, p.descriptor]));
    const translate = byId['openai:translate']!;
    expect(translate.inputShapeEnumValues.origin_language![0]).toEqual({ name: 'Detect language', value: 'detect_language' });
    expect(translate.inputShapeEnumValues.target_language).toContainEqual({ name: 'German', value: 'de' });
    expect(translate.inputShapeEnumValues.target_language!.map((v) => v.value)).not.toContain('detect_language');
    expect(byId['openai:text2image']!.inputShapeDefaults).toEqual({ numberOfImages: 1 });
    expect(byId['openai:summary']!.name).toBe('OpenAI');
    const speech = byId['openai:text2speech']!;
    expect(speech.customTaskType).toBeUndefined();
    expect(speech.optionalInputShape.voice?.type).toBe('Enum');
    expect(speech.optionalInputShapeEnumValues.voice).toContainEqual({ name: 'Alloy', value: 'alloy' });
    expect(byId['openai:changetone']!.inputShapeEnumValues.tone!.map((v) => v.value)).toEqual([
      'friendlier',
      'more formal',
      'funnier',
      'more casual',
      'more urgent',
    ]);
    expect(byId['openai:chatwithtools']!.inputShapeDefaults).toEqual({ system_prompt: '', input: '', tool_message: '' });
    expect(byId['openai:improve']!.inputShapeDefaults).toEqual({ instructions: '' });
  });

  it('prefixes provider ids so two endpoints can run side by side', () => {
    const providers = createOpenAiProviders(
      depsFor({
        OPENAI_PROVIDER_PREFIX: 'ollama',
        OPENAI_SERVICE_NAME: 'Ollama (llama3.1)',
        OPENAI_DISABLED_TYPES: 'audio2text,text2image,text2imagesingle,text2speech',
      }),
    );
    expect(providers).toHaveLength(16);
    expect(providers.every((p) => p.id.startsWith('ollama:') && p.descriptor.name === 'Ollama (llama3.1)')).toBe(true);
  });
});
