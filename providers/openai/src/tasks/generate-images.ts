import { ProcessingError } from '@taskproc/provider-sdk';
import type { ImageGenerateParamsNonStreaming, ImagesResponse } from 'openai/resources/images';
import { userMessages } from '../api-errors.ts';
import { callApi } from '../call-api.ts';
import { sniffImageType, type ImageType } from '../image-types.ts';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';
import { requireText } from '@taskproc/provider-sdk/text';

/**
 * core:text2image: images.generate with `n` = numberOfImages; each image is uploaded to the
 * coordinator and the output lists the file ids.
 */
export const runImageGeneration: BuiltInTaskHandler<'core:text2image'> = async (input, ctx, deps) => {
  const prompt = requireText(input.input);
  const count = Math.round(input.numberOfImages);
  const { maxImages } = deps.config;
  if (count < 1 || count > maxImages) {
    throw new ProcessingError(`numberOfImages is ${input.numberOfImages}; this provider makes 1 to ${maxImages}`, {
      userFacingMessage: `Ask for between 1 and ${maxImages} images`,
    });
  }
  return { output: await generateImages(prompt, count, 'text2image', ctx, deps) };
};

/** core:text2image:single: the same request for one image, whose file id is the output `image`. */
export const runSingleImageGeneration: BuiltInTaskHandler<'core:text2image:single'> = async (input, ctx, deps) => {
  const [image] = await generateImages(requireText(input.input), 1, 'text2imagesingle', ctx, deps);
  return { image: image! };
};

/**
 * Generates `count` images with the model of `kind` and stores each as a file; returns their
 * ids. dall-e-3 makes one image per request, so it is asked as many times as needed.
 */
async function generateImages(
  prompt: string,
  count: number,
  kind: 'text2image' | 'text2imagesingle',
  ctx: TaskContext,
  deps: OpenAiDeps,
): Promise<number[]> {
  const model = deps.config.models[kind];
  const perRequest = model === 'dall-e-3' ? 1 : count;
  const fileIds: number[] = [];
  while (fileIds.length < count) {
    const params: ImageGenerateParamsNonStreaming = {
      model,
      prompt,
      n: Math.min(perRequest, count - fileIds.length),
      size: deps.config.imageSize as ImageGenerateParamsNonStreaming['size'],
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
  return fileIds;
}

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
export function imageType(bytes: Uint8Array): ImageType {
  return sniffImageType(bytes) ?? { mimeType: 'image/png', extension: 'png' };
}
