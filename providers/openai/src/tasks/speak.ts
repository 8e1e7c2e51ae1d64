import type { ShapeEnumValue, TaskType } from '@taskproc/spec';
import { callApi } from '../call-api.ts';
import { textToSpeechTaskTypeId } from '../task-kinds.ts';
import { splitText } from '../text-parts.ts';
import { requireText, type TaskHandler } from './task-handler.ts';

/** OpenAI's limit on the text of one speech request. */
const maxSpeechChars = 4096;

const voices = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse'];

/** Enum values of the `voice` slot. */
export const voiceEnumValues: ShapeEnumValue[] = voices.map((v) => ({ name: v[0]!.toUpperCase() + v.slice(1), value: v }));

/** The custom task type this provider brings for audio.speech; a literal, so `process` gets typed slots. */
export const textToSpeechTaskType = {
  id: textToSpeechTaskTypeId,
  name: 'Text to speech',
  description: 'Reads a text aloud',
  inputShape: {
    input: { name: 'Text', description: 'The text to read aloud', type: 'Text' },
    voice: { name: 'Voice', description: 'The voice to read it with', type: 'Enum' },
  },
  outputShape: {
    output: { name: 'Speech', description: 'The text read aloud (MP3)', type: 'Audio' },
  },
} as const satisfies TaskType;

/** Input and output values of openai:text2speech. */
export interface TextToSpeechIO {
  input: { input: string; voice: string };
  output: { output: number };
}

/**
 * openai:text2speech: audio.speech as MP3, uploaded as the task's output file. Texts over the
 * per-request limit are read in parts whose MP3 streams are concatenated (MP3 frames play back
 * to back), so a long text is read completely.
 */
export const runTextToSpeech: TaskHandler<TextToSpeechIO> = async (input, ctx, deps) => {
  const { input: text, voice } = input;
  const parts = splitText(requireText(text), maxSpeechChars);
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const response = await callApi(
      (options) =>
        deps.client.audio.speech.create(
          { model: deps.config.models.text2speech, voice, input: part, response_format: 'mp3' },
          options,
        ),
      ctx,
      deps,
    );
    chunks.push(new Uint8Array(await response.arrayBuffer()));
    if (parts.length > 1) await ctx.reportProgress(chunks.length / parts.length);
  }
  const fileId = await ctx.writeFile(concatBytes(chunks), { mimeType: 'audio/mpeg', name: 'speech.mp3' });
  return { output: fileId };
};

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
