import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzeImages } from '../src/tasks/analyze-images.ts';
import { runImageGeneration, runSingleImageGeneration } from '../src/tasks/generate-images.ts';
import { prompts } from '@taskproc/provider-sdk/text';
import { runTextToSpeech } from '../src/tasks/speak.ts';
import { runTranscription } from '../src/tasks/transcribe.ts';
import { apiBase, createFakeContext, createTestDeps, handleChat, strictRequests } from './support.ts';

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

describe('core:text2image:single', () => {
  it('asks for one image with the text2image model and answers its file id as `image`', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/images/generations`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ created: 1, data: [{ b64_json: b64(jpegBytes) }] });
      }),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_TEXT2IMAGE: 'gpt-image-1', OPENAI_IMAGE_SIZE: '1536x1024' });
    const { ctx, written, progress } = createFakeContext();
    const output = await runSingleImageGeneration({ input: 'Ein Leuchtturm' }, ctx, deps);
    expect(bodies).toEqual([{ model: 'gpt-image-1', prompt: 'Ein Leuchtturm', n: 1, size: '1536x1024' }]);
    expect(output).toEqual({ image: written[0]!.id });
    expect(written.map((w) => [w.mimeType, w.name, [...w.bytes]])).toEqual([['image/jpeg', 'image-1.jpg', [...jpegBytes]]]);
    expect(progress).toEqual([]);
  });

  it('refuses an empty prompt without a request', async () => {
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await expect(runSingleImageGeneration({ input: ' ' }, ctx, deps)).rejects.toMatchObject({ userFacingMessage: 'The input text is empty' });
  });
});

describe('core:analyze-images', () => {
  const webp = new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP'), 7]);

  it('sends every image as a data URL typed by its bytes, then the question, to the vision model', async () => {
    const bodies = handleChat(server, () => 'Das erste Bild zeigt einen Leuchtturm.');
    const { deps } = createTestDeps({ OPENAI_MODEL_ANALYZEIMAGES: 'gpt-4o' });
    const { ctx } = createFakeContext({
      3: { bytes: pngBytes(1), mimeType: 'image/png', name: 'a.png' },
      // Uploaded without a useful type: the bytes say WebP.
      4: { bytes: webp, mimeType: 'application/octet-stream', name: 'b' },
    });
    const output = await runAnalyzeImages({ images: [3, 4], input: 'Was zeigt das erste Bild?' }, ctx, deps);
    expect(output).toEqual({ output: 'Das erste Bild zeigt einen Leuchtturm.' });
    expect(bodies).toEqual([
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: prompts.analyzeimages },
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(pngBytes(1))}` } },
              { type: 'image_url', image_url: { url: `data:image/webp;base64,${b64(webp)}` } },
              { type: 'text', text: 'Was zeigt das erste Bild?' },
            ],
          },
        ],
      },
    ]);
  });

  it('refuses a file that is no image the API reads, and an empty image list, without a request', async () => {
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext({ 5: { bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46]), mimeType: 'application/pdf', name: 'x.pdf' } });
    await expect(runAnalyzeImages({ images: [5], input: 'Was steht da?' }, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      userFacingMessage: 'Only PNG, JPEG, WebP and GIF images can be analyzed',
    });
    await expect(runAnalyzeImages({ images: [], input: 'Was steht da?' }, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'Add at least one image to ask about',
    });
  });
});

describe('core:text2speech', () => {
  it('sends the text and voice to audio.speech and stores the MP3 as the output `speech`', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/audio/speech`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(new Uint8Array([0xff, 0xfb, 0x90, bodies.length]), { headers: { 'content-type': 'audio/mpeg' } });
      }),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_TEXT2SPEECH: 'tts-1' });
    const { ctx, written } = createFakeContext();
    const { speech } = await runTextToSpeech({ input: 'Guten Morgen!', voice: 'nova' }, ctx, deps);
    expect(bodies).toEqual([{ model: 'tts-1', voice: 'nova', input: 'Guten Morgen!', response_format: 'mp3' }]);
    expect(written).toEqual([{ id: speech, bytes: new Uint8Array([0xff, 0xfb, 0x90, 1]), mimeType: 'audio/mpeg', name: 'speech.mp3' }]);
  });

  it('reads with the default voice when the task names none (the slot is optional)', async () => {
    const bodies: any[] = [];
    server.use(
      http.post(`${apiBase}/audio/speech`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(new Uint8Array([1]));
      }),
    );
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await runTextToSpeech({ input: 'Hallo' }, ctx, deps);
    expect(bodies).toEqual([{ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'Hallo', response_format: 'mp3' }]);
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
