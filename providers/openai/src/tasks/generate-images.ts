import { ProcessingError } from '@taskproc/provider-sdk';
import type { ImageGenerateParamsNonStreaming, ImagesResponse } from 'openai/resources/images';
import { userMessages } from '../api-errors.ts';
import { callApi } from '../call-api.ts';
import type { TaskContext } from '../task-context.ts';
import { requireText, type BuiltInTaskHandler } from './task-handler.ts';

/**
 * core:text2image: images.generate with `n` = numberOfImages; each image is uploaded to the
 * coordinator and the output lists the file ids. dall-e-3 makes one image per request, so it is
 * asked as many times as needed.
 */
export const runImageGeneration: BuiltInTaskHandler<'core:text2image'> = async (input, ctx, deps) => {
  const prompt = requireText(input.input);
  const count = Math.round(input.numberOfImages);
  const { maxImages, imageSize } = deps.config;
  if (count < 1 || count > maxImages) {
    throw new ProcessingError(`numberOfImages is ${input.numberOfImages}; this provider makes 1 to ${maxImages}`, {
      userFacingMessage: `Ask for between 1 and ${maxImages} images`,
    });
  }
  const model = deps.config.models.text2image;
  const perRequest = model === 'dall-e-3' ? 1 : count;
  const fileIds: number[] = [];
  while (fileIds.length < count) {
    const params: ImageGenerateParamsNonStreaming = {
      model,
      prompt,
      n: Math.min(perRequest, count - fileIds.length),
      size: imageSize as ImageGenerateParamsNonStreaming['size'],
      // gpt-image models always answer base64 and refuse the parameter; the others default to URLs.
      ...(model.startsWith('gpt-image') ? {} : { response_format: 'b64_json' as const }),
    };
    const response = await callApi((options) => deps.client.images.generate(params, options), ctx, deps);
    const images = response.data ?? [];
    if (images.length === 0) {
      throw new ProcessingError('The AI service returned no image', { userFacingMessage: userMessages.empty });
    }
    for (const image of images.slice(0, count - fileIds.length)) {
      const bytes = await imageBytes(image, ctx);
      const type = imageType(bytes);
      fileIds.push(await ctx.writeFile(bytes, { mimeType: type.mimeType, name: `image-${fileIds.length + 1}.${type.extension}` }));
    }
    if (count > 1) await ctx.reportProgress(fileIds.length / count);
  }
  return { output: fileIds };
};

type GeneratedImage = NonNullable<ImagesResponse['data']>[number];

/** The image's bytes: base64 in the answer, or (servers that ignore response_format) a URL to fetch. */
async function imageBytes(image: GeneratedImage, ctx: Pick<TaskContext, 'signal'>): Promise<Uint8Array> {
  if (image.b64_json) return new Uint8Array(Buffer.from(image.b64_json, 'base64'));
  if (image.url) {
    const response = await fetch(image.url, { signal: ctx.signal });
    if (!response.ok) {
      throw new ProcessingError(`Downloading the generated image failed: HTTP ${response.status}`, {
        userFacingMessage: userMessages.unavailable,
      });
    }
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new ProcessingError('The AI service returned an image without data', { userFacingMessage: userMessages.empty });
}

/** The format from the file's first bytes: gpt-image models may answer JPEG or WebP, not only PNG. */
export function imageType(bytes: Uint8Array): { mimeType: string; extension: string } {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { mimeType: 'image/jpeg', extension: 'jpg' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { mimeType: 'image/webp', extension: 'webp' };
  if (ascii(0, 3) === 'GIF') return { mimeType: 'image/gif', extension: 'gif' };
  return { mimeType: 'image/png', extension: 'png' };
}
