/** An image format as the bytes show it. */
export interface ImageType {
  mimeType: string;
  extension: string;
}

/**
 * The format from the file's first bytes, or undefined when it is none of the formats the
 * OpenAI API reads and writes (PNG, JPEG, WebP, GIF).
 */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return { mimeType: 'image/png', extension: 'png' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { mimeType: 'image/jpeg', extension: 'jpg' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { mimeType: 'image/webp', extension: 'webp' };
  if (ascii(0, 3) === 'GIF') return { mimeType: 'image/gif', extension: 'gif' };
  return undefined;
}
