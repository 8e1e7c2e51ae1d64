import { ProcessingError } from '@taskproc/provider-sdk';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { completeChat, streamTo } from '../complete-chat.ts';
import { sniffImageType } from '../image-types.ts';
import { prompts, requireText } from '@taskproc/provider-sdk/text';
import type { TaskContext } from '../task-context.ts';
import { type BuiltInTaskHandler } from './task-handler.ts';

// OpenAI's limits on the images of one chat request (its vision guide); a local server that
// allows less answers 4xx, which fails the task as "could not process this request".
const maxImages = 500;
const maxTotalBytes = 50 * 1000 * 1000;

/**
 * core:analyze-images: one chat request with every image as an `image_url` data URL, then the
 * question. The model must read images (gpt-4o-mini does; set OPENAI_MODEL_ANALYZEIMAGES to a
 * vision model on servers whose default model does not).
 */
export const runAnalyzeImages: BuiltInTaskHandler<'core:analyze-images'> = async (input, ctx, deps) => {
  const question = requireText(input.input);
  if (input.images.length === 0) {
    throw new ProcessingError('No images were given', { userFacingMessage: 'Add at least one image to ask about' });
  }
  if (input.images.length > maxImages) {
    throw new ProcessingError(`${input.images.length} images were given; at most ${maxImages} fit one request`, {
      userFacingMessage: `Ask about at most ${maxImages} images at once`,
    });
  }
  const parts = await imageParts(input.images, ctx);
  const output = await completeChat(
    [
      { role: 'system', content: prompts.analyzeimages },
      { role: 'user', content: [...parts, { type: 'text', text: question }] },
    ],
    'analyzeimages',
    ctx,
    deps,
    streamTo(ctx),
  );
  return { output };
};

/**
 * Each image as a data URL, typed by its bytes: the MIME type an app uploaded a file with may be
 * generic (application/octet-stream), and the API reads only these four formats anyway.
 */
async function imageParts(fileIds: number[], ctx: TaskContext): Promise<ChatCompletionContentPart[]> {
  const parts: ChatCompletionContentPart[] = [];
  let totalBytes = 0;
  for (const fileId of fileIds) {
    const file = await ctx.readFile(fileId);
    totalBytes += file.bytes.byteLength;
    if (totalBytes > maxTotalBytes) {
      throw new ProcessingError(`The images add up to more than ${maxTotalBytes} bytes`, {
        userFacingMessage: `The images are too large together (at most ${maxTotalBytes / 1_000_000} MB)`,
      });
    }
    const mimeType = sniffImageType(file.bytes)?.mimeType;
    if (!mimeType) {
      throw new ProcessingError(`File ${fileId} (${file.mimeType}) is not a PNG, JPEG, WebP or GIF image`, {
        userFacingMessage: 'Only PNG, JPEG, WebP and GIF images can be analyzed',
      });
    }
    parts.push({ type: 'image_url', image_url: { url: `data:${mimeType};base64,${Buffer.from(file.bytes).toString('base64')}` } });
  }
  return parts;
}
