import type { ShapeEnumValue } from '@taskproc/spec';
import { callApi } from '../call-api.ts';
import { requireText, splitText } from '@taskproc/provider-sdk/text';
import { type TaskHandler } from './task-handler.ts';

/** OpenAI's limit on the text of one speech request. */
const maxSpeechChars = 4096;

const voices = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse'];

/** The voice when a task names none (integration_openai's default too). */
export const defaultVoice = 'alloy';

/** Enum values of the optional `voice` slot. */
export const voiceEnumValues: ShapeEnumValue[] = voices.map((v) => ({ name: v[0]!.toUpperCase() + v.slice(1), value: v }));

/**
 * The optional input slot this provider adds to core:text2speech, as nextcloud/integration_openai
 * does: the built-in type has only the text, and OpenAI's endpoint needs a voice.
 */
export const speechOptionalInputShape = {
  voice: { name: 'Voice', description: 'The voice to use', type: 'Enum' },
} as const;

/** Input and output values of core:text2speech as this provider serves it. */
export interface TextToSpeechIO {
  input: { input: string; voice?: string };
  output: { speech: number };
}

/**
 * core:text2speech: audio.speech as MP3, uploaded as the task's output file. Texts over the
 * per-request limit are read in parts whose MP3 streams are concatenated (MP3 frames play back
 * to back), so a long text is read completely.
 */
export const runTextToSpeech: TaskHandler<TextToSpeechIO> = async (input, ctx, deps) => {
  const { input: text, voice = defaultVoice } = input;
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
  return { speech: fileId };
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
