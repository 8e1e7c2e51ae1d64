import { ProcessingError, defineProvider } from '@taskproc/provider-sdk';

/**
 * Serves the built-in `core:text2text:summary`: `input` and `output` are typed from the
 * built-in catalogue. The "model" keeps the first sentence.
 */
export const summaryProvider = defineProvider({
  id: 'example:summary',
  name: 'Example summary (first sentence)',
  taskType: 'core:text2text:summary',
  expectedRuntime: 1,
  async process(input, ctx) {
    const text = input.input.trim();
    if (text === '') throw new ProcessingError('empty input', { userFacingMessage: 'There is no text to summarize.' });
    ctx.logger.debug({ length: text.length }, 'summarizing');
    const firstSentence = /^.*?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text;
    return { output: firstSentence };
  },
});

/**
 * Brings its own task type, `example:reverse`. Declared inline, its shapes type `process`:
 * `input.text` is a string, `input.chunkSize` an optional number, and the output must have `reversed`.
 */
export const reverseProvider = defineProvider({
  id: 'example:reverse',
  name: 'Example reverser',
  taskType: 'example:reverse',
  expectedRuntime: 1,
  customTaskType: {
    id: 'example:reverse',
    name: 'Reverse text',
    description: 'Writes a text backwards',
    inputShape: { text: { name: 'Text', description: 'The text to reverse', type: 'Text' } },
    outputShape: { reversed: { name: 'Reversed text', description: 'The text, backwards', type: 'Text' } },
  },
  optionalInputShape: {
    chunkSize: { name: 'Chunk size', description: 'Characters per progress step', type: 'Number' },
  },
  optionalInputShapeDefaults: { chunkSize: 1000 },
  async process(input, ctx) {
    const chars = [...input.text];
    const chunkSize = Math.max(1, input.chunkSize ?? 1000);
    let reversed = '';
    for (let end = chars.length; end > 0; end -= chunkSize) {
      // Long work checks its signal between steps: a cancelled task stops here.
      ctx.signal.throwIfAborted();
      const start = Math.max(0, end - chunkSize);
      const piece = chars.slice(start, end).reverse().join('');
      reversed += piece;
      // The app sees each piece as it is done when it asked for streaming (a no-op otherwise).
      ctx.stream({ reversed: piece });
      await ctx.reportProgress((chars.length - start) / chars.length);
    }
    return { reversed };
  },
});

/** Everything this process serves. */
export const exampleProviders = [summaryProvider, reverseProvider];
