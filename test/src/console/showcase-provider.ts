import { attachShutdownListeners, createDefaultLogger, defineProvider, runProviders, type ProviderContext } from '@taskproc/provider-sdk';
import { gradientPng } from './png.ts';

// A provider process for the console's browser tests, on the real SDK. Its types exercise what
// the generated form must handle (an Enum with the provider's values, a Number default, a list,
// an optional slot, a list of images) and what the output view must render (streamed markdown,
// an image). Tasks wait on the test's gate, so the test sees them running, streaming and at
// 50 %, and decides when they end. Logs JSON lines on stderr like the scripted provider (`event` lines).

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const gateUrl = required('TEST_GATE_URL');
const logger = createDefaultLogger('info');
const emit = (event: string, fields: Record<string, unknown> = {}) => logger.info({ event, ...fields }, event);

/** Resolves when the test opens the task's gate; rejects when the task is cancelled. */
async function gate(ctx: ProviderContext): Promise<void> {
  try {
    await (await fetch(`${gateUrl}/${ctx.taskId}`, { signal: ctx.signal })).text();
  } catch (err) {
    if (ctx.signal.aborted) emit('aborted', { taskId: ctx.taskId });
    throw err;
  }
}

export const composeType = 'console:compose';

const compose = defineProvider({
  id: 'showcase:compose',
  name: 'Showcase writer',
  taskType: composeType,
  expectedRuntime: 2,
  customTaskType: {
    id: composeType,
    name: 'Compose a note',
    description: 'Writes a short markdown note from a prompt, streaming it as it goes.',
    inputShape: {
      prompt: { name: 'Prompt', description: 'What the note is about', type: 'Text' },
      tone: { name: 'Tone', description: 'How it should sound', type: 'Enum' },
      length: { name: 'Length', description: 'Sentences to write', type: 'Number' },
      keywords: { name: 'Keywords', description: 'Words the note must use', type: 'ListOfTexts' },
    },
    outputShape: { output: { name: 'Note', description: 'The note, in markdown', type: 'Text' } },
  },
  inputShapeDefaults: { length: 3 },
  inputShapeEnumValues: {
    tone: [
      { name: 'Friendly', value: 'friendly' },
      { name: 'Formal', value: 'formal' },
    ],
  },
  optionalInputShape: { signature: { name: 'Signature', description: 'A closing line', type: 'Text' } },
  async process(input, ctx) {
    const keywords = (input.keywords as string[]).join(', ');
    const head = `# ${String(input.prompt)}\n\nTone: **${String(input.tone)}**, ${Number(input.length)} sentences.\n`;
    ctx.stream(head);
    await ctx.reportProgress(0.5);
    emit('started', { taskId: ctx.taskId });
    await gate(ctx);
    // A model's text is hostile: the console must show this markup as text, never run it.
    const body = `Keywords: ${keywords}\nSecond line <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2">\n\n- one\n- two`;
    const signature = input.signature ? `\n\n— ${String(input.signature)}` : '';
    return { output: `${head}\n${body}${signature}` };
  },
});

export const sketchType = 'console:sketch';

const sketch = defineProvider({
  id: 'showcase:sketch',
  name: 'Showcase painter',
  taskType: sketchType,
  expectedRuntime: 1,
  customTaskType: {
    id: sketchType,
    name: 'Sketch an image',
    description: 'Paints a gradient for a prompt.',
    inputShape: { prompt: { name: 'Prompt', description: 'What to paint', type: 'Text' } },
    outputShape: { image: { name: 'Image', description: 'The painting', type: 'Image' } },
  },
  // A list of files, for the form's repeatable file rows; the painter only looks at them.
  optionalInputShape: { references: { name: 'References', description: 'Images to paint after', type: 'ListOfImages' } },
  async process(_input, ctx) {
    const image = await ctx.writeFile(gradientPng(160, 100), { mimeType: 'image/png', name: 'sketch.png' });
    return { image };
  },
});

const runner = runProviders({
  url: required('TASKPROC_URL'),
  token: required('TASKPROC_TOKEN'),
  providers: [compose, sketch],
  concurrency: 4,
  waitMs: 30_000,
  graceMs: 1_000,
  logger,
});
attachShutdownListeners(runner);
runner.ready.then(
  () => emit('ready'),
  (err: unknown) => emit('not-ready', { error: String(err) }),
);
