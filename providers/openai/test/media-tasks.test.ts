import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runImageGeneration } from '../src/tasks/generate-images.ts';
import { runTextToSpeech } from '../src/tasks/speak.ts';
import { runTranscription } from '../src/tasks/transcribe.ts';
import { apiBase, createFakeContext, createTestDeps, strictRequests } from './support.ts';

const server = setupServer();
beforeAll(() => server.listen(strictRequests));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const pngBytes = (marker: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, marker]);
const jpegBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('core:audio2text', () => {
  it('uploads the input file to audio.transcriptions and answers its text', async () => {
    const seen: Array<{ model: unknown; format: unknown; name: string; type: string; bytes: number[] }> = [];
    server.use(
      http.post(`${apiBase}/audio/transcriptions`, async ({ request }) => {
        const form = await request.formData();
        const file = form.get('file') as File;
        seen.push({
          model: form.get('model'),
          format: form.get('response_format'),
          name: file.name,
          type: file.type,
          bytes: [...new Uint8Array(await file.arrayBuffer())],
        });
        return HttpResponse.json({ text: ' Hallo Welt. ' });
      }),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_AUDIO2TEXT: 'whisper-large' });
    const { ctx } = createFakeContext({ 7: { bytes: new Uint8Array([1, 2, 3, 4]), mimeType: 'audio/ogg', name: 'memo.ogg' } });
    expect(await runTranscription({ input: 7 }, ctx, deps)).toEqual({ output: 'Hallo Welt.' });
    expect(seen).toEqual([{ model: 'whisper-large', format: 'json', name: 'memo.ogg', type: 'audio/ogg', bytes: [1, 2, 3, 4] }]);
  });

  it('refuses a file over OPENAI_MAX_AUDIO_BYTES before uploading it', async () => {
    const { deps } = createTestDeps({ OPENAI_MAX_AUDIO_BYTES: '3' });
    const { ctx } = createFakeContext({ 7: { bytes: new Uint8Array(4), mimeType: 'audio/mpeg', name: 'a.mp3' } });
    // No handler: onUnhandledRequest 'error' would fail the test if a request were sent.
    await expect(runTranscription({ input: 7 }, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      userFacingMessage: expect.stringContaining('too large'),
    });
  });
});

describe('core:text2image', () => {
  it('asks for numberOfImages in one request and stores each image as a file', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/images/generations`, async ({ request }) => {
        const body: any = await request.json();
        bodies.push(body);
        return HttpResponse.json({
          created: 1,
          data: [{ b64_json: b64(pngBytes(1)) }, { b64_json: b64(jpegBytes) }, { b64_json: b64(pngBytes(3)) }],
        });
      }),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_TEXT2IMAGE: 'gpt-image-1', OPENAI_IMAGE_SIZE: '1024x1536' });
    const { ctx, written, progress } = createFakeContext();
    const { output } = await runImageGeneration({ input: 'Ein Leuchtturm im Sturm', numberOfImages: 3 }, ctx, deps);
    expect(bodies).toEqual([{ model: 'gpt-image-1', prompt: 'Ein Leuchtturm im Sturm', n: 3, size: '1024x1536' }]);
    expect(output).toEqual(written.map((w) => w.id));
    expect(written.map((w) => [w.mimeType, w.name, [...w.bytes]])).toEqual([
      ['image/png', 'image-1.png', [...pngBytes(1)]],
      ['image/jpeg', 'image-2.jpg', [...jpegBytes]],
      ['image/png', 'image-3.png', [...pngBytes(3)]],
    ]);
    expect(progress).toEqual([1]);
  });

  it('asks other models for b64_json, and dall-e-3 once per image', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/images/generations`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ created: 1, data: [{ b64_json: b64(pngBytes(bodies.length)) }] });
      }),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_TEXT2IMAGE: 'dall-e-3' });
    const { ctx, written, progress } = createFakeContext();
    const { output } = await runImageGeneration({ input: 'Katze', numberOfImages: 2 }, ctx, deps);
    const request = { model: 'dall-e-3', prompt: 'Katze', n: 1, size: '1024x1024', response_format: 'b64_json' };
    expect(bodies).toEqual([request, request]);
    expect(output).toHaveLength(2);
    expect(written.map((w) => w.bytes[8])).toEqual([1, 2]);
    expect(progress).toEqual([0.5, 1]);
  });

  it('downloads the image when a server answers with a URL instead of base64', async () => {
    server.use(
      http.post('http://127.0.0.1:8080/v1/images/generations', () =>
        HttpResponse.json({ created: 1, data: [{ url: 'http://127.0.0.1:8080/generated/1.png' }] }),
      ),
      http.get('http://127.0.0.1:8080/generated/1.png', () => new HttpResponse(pngBytes(9), { headers: { 'content-type': 'image/png' } })),
    );
    const { deps } = createTestDeps({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1', OPENAI_MODEL_TEXT2IMAGE: 'stablediffusion' });
    const { ctx, written } = createFakeContext();
    const { output } = await runImageGeneration({ input: 'Boot', numberOfImages: 1 }, ctx, deps);
    expect(output).toEqual([written[0]!.id]);
    expect([...written[0]!.bytes]).toEqual([...pngBytes(9)]);
  });

  it('refuses a numberOfImages outside 1..OPENAI_MAX_IMAGES without a request', async () => {
    const { deps } = createTestDeps({ OPENAI_MAX_IMAGES: '4' });
    const { ctx } = createFakeContext();
    await expect(runImageGeneration({ input: 'x', numberOfImages: 5 }, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'Ask for between 1 and 4 images',
    });
    await expect(runImageGeneration({ input: 'x', numberOfImages: 0 }, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'Ask for between 1 and 4 images',
    });
  });
});

describe('openai:text2speech', () => {
  it('sends the text and voice to audio.speech and stores the MP3 as the output file', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/audio/speech`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(new Uint8Array([0xff, 0xfb, 0x90, bodies.length]), { headers: { 'content-type': 'audio/mpeg' } });
      }),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_TEXT2SPEECH: 'tts-1' });
    const { ctx, written } = createFakeContext();
    const { output } = await runTextToSpeech({ input: 'Guten Morgen!', voice: 'nova' }, ctx, deps);
    expect(bodies).toEqual([{ model: 'tts-1', voice: 'nova', input: 'Guten Morgen!', response_format: 'mp3' }]);
    expect(written).toEqual([{ id: output, bytes: new Uint8Array([0xff, 0xfb, 0x90, 1]), mimeType: 'audio/mpeg', name: 'speech.mp3' }]);
  });

  it('reads a text over the 4096-character limit in parts and joins the audio', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/audio/speech`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(new Uint8Array([bodies.length]));
      }),
    );
    const { deps } = createTestDeps();
    const { ctx, written, progress } = createFakeContext();
    const sentence = 'Dies ist ein Satz zum Vorlesen. ';
    const text = sentence.repeat(200).trim();
    await runTextToSpeech({ input: text, voice: 'alloy' }, ctx, deps);
    expect(bodies).toHaveLength(2);
    expect(bodies.every((b) => b.input.length <= 4096)).toBe(true);
    expect(bodies.map((b) => b.input).join(' ')).toBe(text);
    expect([...written[0]!.bytes]).toEqual([1, 2]);
    expect(progress).toEqual([0.5, 1]);
  });
});
