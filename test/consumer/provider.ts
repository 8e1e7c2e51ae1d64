// A provider written outside the taskproc repository, against the published packages only:
// a custom task type with a file in and a file out, progress, streaming and graceful shutdown.
import { attachShutdownListeners, defineProvider, ProcessingError, runProviders } from '@taskproc/provider-sdk';
// The text helpers' subpath export, as a provider of text types on its own model would use it.
import { stripThinking } from '@taskproc/provider-sdk/text';

const url = process.env.TASKPROC_URL;
const token = process.env.TASKPROC_TOKEN;
if (!url || !token) throw new Error('set TASKPROC_URL and TASKPROC_TOKEN');

export const invert = defineProvider({
  id: 'consumer:invert',
  name: 'Inverts the bytes of a file',
  taskType: 'consumer:invert',
  customTaskType: {
    id: 'consumer:invert',
    name: 'Invert',
    description: 'Writes every byte of the file as 255 minus itself',
    inputShape: {
      file: { name: 'File', description: 'Any file', type: 'File' },
      label: { name: 'Label', description: 'Shown in the note', type: 'Text' },
    },
    outputShape: {
      inverted: { name: 'Inverted', description: 'The file, inverted', type: 'File' },
      note: { name: 'Note', description: 'What was done', type: 'Text' },
    },
  },
  async process(input, ctx) {
    const { bytes, mimeType, name } = await ctx.readFile(input.file);
    if (input.label === 'fail') throw new ProcessingError('asked to fail', { userFacingMessage: 'The file could not be inverted.' });
    const inverted = bytes.map((b) => 255 - b);
    await ctx.reportProgress(0.5);
    ctx.stream({ note: `${input.label}: ` });
    const id = await ctx.writeFile(inverted, { mimeType, name: `inverted-${name}` });
    const note = `${stripThinking(input.label)}: ${bytes.length} bytes inverted`;
    ctx.stream({ note: `${bytes.length} bytes inverted` });
    return { inverted: id, note };
  },
});

const runner = runProviders({ url, token, providers: [invert], concurrency: 2, waitMs: 5_000 });
attachShutdownListeners(runner);
await runner.ready;
console.log('consumer provider ready');
