// An app written outside the taskproc repository, against the published client only: upload a
// file, run a task of a custom type with it, stream its note, download the output file.
import { TaskProcessingClient, TaskFailedError, type OutputStreamPart } from '@taskproc/client';

const url = process.env.TASKPROC_URL;
const token = process.env.TASKPROC_TOKEN;
if (!url || !token) throw new Error('set TASKPROC_URL and TASKPROC_TOKEN');
const client = new TaskProcessingClient({ url, token });

// The type as the app knows it: its shapes type the input and the output of run() and stream().
const invert = {
  id: 'consumer:invert',
  inputShape: { file: { type: 'File' }, label: { type: 'Text' } },
  outputShape: { inverted: { type: 'File' }, note: { type: 'Text' } },
} as const;

const original = new Uint8Array([0, 1, 2, 250, 255]);
const upload = await client.uploadFile(original, { name: 'bytes.bin', mimeType: 'application/octet-stream' });

const parts: Array<OutputStreamPart<{ inverted: number; note: string }>> = [];
for await (const part of client.stream(invert, { file: upload.id, label: 'test' })) parts.push(part);
const done = parts.at(-1);
if (done?.kind !== 'done') throw new Error('the stream ended without the output');
const output: { inverted: number; note: string } = done.output;
const file = await client.downloadFile(output.inverted);
const streamed = parts.flatMap((p) => (p.kind === 'delta' ? [p.text] : [])).join('');

// A task that fails comes back as TaskFailedError carrying the task.
let failure = '';
try {
  await client.run(invert, { file: upload.id, label: 'fail' });
} catch (err) {
  if (err instanceof TaskFailedError) failure = err.task.userFacingErrorMessage ?? '';
}

console.log(`RESULT ${JSON.stringify({ bytes: [...file.bytes], name: file.name, note: output.note, streamed, failure })}`);
