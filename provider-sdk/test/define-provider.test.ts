import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMockContext, defineProvider, type ProviderInput } from '../src/index.ts';

describe('defineProvider', () => {
  it('fills descriptor defaults and keeps the handler', async () => {
    const provider = defineProvider({
      id: 'example:summary',
      name: 'Example summary',
      taskType: 'core:text2text:summary',
      expectedRuntime: 5,
      async process(input) {
        return { output: input.input.toUpperCase() };
      },
    });
    expect(provider.id).toBe('example:summary');
    expect(provider.descriptor).toMatchObject({ taskType: 'core:text2text:summary', inputShapeDefaults: {}, optionalInputShape: {} });
    await expect(provider.process({ input: 'hi' }, createMockContext())).resolves.toEqual({ output: 'HI' });
  });

  it('refuses a bad registration at once, naming the field', () => {
    const process = async () => ({ output: '' });
    expect(() => defineProvider({ id: 'bad id!', name: 'x', taskType: 'core:text2text', process })).toThrow(/Invalid provider id "bad id!"/);
    expect(() => defineProvider({ id: 'a:b', name: '', taskType: 'core:text2text', process })).toThrow(/name:/);
    expect(() =>
      defineProvider({
        id: 'a:b',
        name: 'x',
        taskType: 'a:one',
        customTaskType: { id: 'a:other', name: 'x', description: '', inputShape: {}, outputShape: {} },
        process: async () => ({}),
      }),
    ).toThrow(/customTaskType.id "a:other" must equal taskType "a:one"/);
  });

  it('types process from built-in types, inline custom types and optional slots', () => {
    defineProvider({
      id: 'a:translate',
      name: 'x',
      taskType: 'core:text2text:translate',
      optionalInputShape: { tone: { name: 'Tone', description: '', type: 'Enum' } },
      async process(input) {
        expectTypeOf(input).toEqualTypeOf<{ input: string; origin_language: string; target_language: string; tone?: string }>();
        return { output: '' };
      },
    });
    defineProvider({
      id: 'a:reverse',
      name: 'x',
      taskType: 'a:reverse',
      customTaskType: {
        id: 'a:reverse',
        name: 'Reverse',
        description: '',
        inputShape: { text: { name: 'Text', description: '', type: 'Text' }, image: { name: 'Image', description: '', type: 'Image' } },
        outputShape: { words: { name: 'Words', description: '', type: 'ListOfTexts' } },
      },
      async process(input) {
        expectTypeOf(input).toEqualTypeOf<{ text: string; image: number }>();
        return { words: [input.text] };
      },
    });
    expectTypeOf<ProviderInput<'unknown:type', undefined, object>>().toEqualTypeOf<Record<string, unknown>>();
  });
});
