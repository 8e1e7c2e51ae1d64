import { describe, expectTypeOf, it } from 'vitest';
import type { TaskProcessingClient } from '../src/index.ts';

// Compile-time checks (`npm run typecheck` fails on a wrong type; the bodies never run): what
// run() and stream() resolve with, by type id and by definition.

const wordCount = {
  id: 'demo:wordcount',
  name: 'Word count',
  description: 'Counts words',
  inputShape: { text: { name: 'Text', description: 'The text', type: 'Text' } },
  outputShape: { count: { name: 'Count', description: 'Words', type: 'Number' } },
} as const;

describe('typed results', () => {
  it('types a built-in type by its id, a custom one by its definition', () => {
    const typed = async (client: TaskProcessingClient) => {
      expectTypeOf(await client.run('core:text2text:summary', { input: 'x' })).toMatchTypeOf<{ output: string }>();
      expectTypeOf(await client.run(wordCount, { text: 'one two' })).toEqualTypeOf<{ count: number }>();
      // @ts-expect-error the definition has no `output` slot: the mistake of the issue no longer compiles
      const { output } = await client.run(wordCount, { text: 'one two' });
      // @ts-expect-error the input slot is `text`
      await client.run(wordCount, { input: 'one two' });
      for await (const part of client.stream(wordCount, { text: 'a b' })) {
        if (part.kind === 'done') expectTypeOf(part.output.count).toEqualTypeOf<number>();
      }
      // wait() returns the task; its output is typed by the type passed, null unless successful.
      const summary = await client.wait(1, { type: 'core:text2text:summary' });
      expectTypeOf(summary.output).toMatchTypeOf<{ output: string } | null>();
      expectTypeOf((await client.wait(1, { type: wordCount })).output).toEqualTypeOf<{ count: number } | null>();
      // @ts-expect-error without a type the output is plain slot values: no `count` to be sure of
      expectTypeOf((await client.wait(1)).output!.count).toEqualTypeOf<number>();
      // A custom type by its id alone: slots are not known, values are unknown.
      expectTypeOf(await client.run('demo:wordcount', { text: 'x' })).toEqualTypeOf<Record<string, unknown>>();
      return output;
    };
    expectTypeOf(typed).toBeFunction();
  });
});
