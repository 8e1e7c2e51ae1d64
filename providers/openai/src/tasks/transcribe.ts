import { ProcessingError } from '@taskproc/provider-sdk';
import { toFile } from 'openai';
import { callApi } from '../call-api.ts';
import type { BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:audio2text: the audio file from the coordinator goes to audio.transcriptions as it is
 * (name and MIME type tell the API the format). Files over OPENAI_MAX_AUDIO_BYTES are refused
 * before the upload, with a message the user can act on.
 */
export const runTranscription: BuiltInTaskHandler<'core:audio2text'> = async (input, ctx, deps) => {
  const fileId = input.input;
  const audio = await ctx.readFile(fileId);
  const { maxAudioBytes } = deps.config;
  if (audio.bytes.byteLength > maxAudioBytes) {
    const mb = (maxAudioBytes / 1_048_576).toFixed(0);
    throw new ProcessingError(`Audio file ${fileId} has ${audio.bytes.byteLength} bytes, more than ${maxAudioBytes}`, {
      userFacingMessage: `The audio file is too large to transcribe (at most ${mb} MB)`,
    });
  }
  const file = await toFile(audio.bytes, audio.name || 'audio', { type: audio.mimeType });
  const transcription = await callApi(
    (options) =>
      deps.client.audio.transcriptions.create(
        { file, model: deps.config.models.audio2text, response_format: 'json' },
        options,
      ),
    ctx,
    deps,
  );
  const text = transcription.text.trim();
  // An empty transcription is a valid answer (silence), not a failure.
  if (!text) ctx.logger.info({ fileId }, 'transcription is empty');
  return { output: text };
};

