import { describe, expect, expectTypeOf, it } from 'vitest';
import { builtInSlotTypes, type BuiltInTaskIO } from './built-in-io.ts';
import { builtInTaskTypes } from './task-type-catalogue.ts';

describe('builtInSlotTypes', () => {
  it('lists exactly the slot types of the built-in catalogue', () => {
    const fromCatalogue = Object.fromEntries(
      builtInTaskTypes.map((type) => [
        type.id,
        {
          input: Object.fromEntries(Object.entries(type.inputShape).map(([key, slot]) => [key, slot.type])),
          output: Object.fromEntries(Object.entries(type.outputShape).map(([key, slot]) => [key, slot.type])),
        },
      ]),
    );
    expect(builtInSlotTypes).toEqual(fromCatalogue);
  });

  it('maps slot types to value types', () => {
    expectTypeOf<BuiltInTaskIO['core:text2text:chat']['input']>().toEqualTypeOf<{
      system_prompt: string;
      input: string;
      history: string[];
    }>();
    expectTypeOf<BuiltInTaskIO['core:text2image']['output']>().toEqualTypeOf<{ output: number[] }>();
    expectTypeOf<BuiltInTaskIO['core:audio2text']['input']>().toEqualTypeOf<{ input: number }>();
    expectTypeOf<BuiltInTaskIO['core:text2text:chatwithtools']['output']>().toEqualTypeOf<{ output: string; tool_calls: string }>();
    expectTypeOf<BuiltInTaskIO['core:text2image:single']['output']>().toEqualTypeOf<{ image: number }>();
    expectTypeOf<BuiltInTaskIO['core:image2text:ocr']['input']>().toEqualTypeOf<{ input: number[] }>();
  });
});
