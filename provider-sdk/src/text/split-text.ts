/** Boundaries to split at, best first: paragraphs, lines, sentences, words. */
const separators = [/\n\s*\n/, /\n/, /(?<=[.!?。！？])\s+/, /\s+/];

/**
 * Splits `text` into parts of at most `maxChars` characters, cutting at the coarsest boundary that
 * makes every part fit (paragraph, line, sentence, word; a hard cut only for a single longer word)
 * and packing neighbouring pieces together. Whitespace at the cuts is dropped.
 */
export function splitText(text: string, maxChars: number): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed ? [trimmed] : [];
  return splitAt(trimmed, maxChars, 0);
}

function splitAt(text: string, maxChars: number, level: number): string[] {
  const separator = separators[level];
  if (!separator) return hardCut(text, maxChars);
  const joiner = level === 0 ? '\n\n' : level === 1 ? '\n' : ' ';
  const pieces = text.split(separator).map((p) => p.trim()).filter(Boolean);
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (piece.length > maxChars) {
      if (current) parts.push(current);
      current = '';
      parts.push(...splitAt(piece, maxChars, level + 1));
    } else if (!current) {
      current = piece;
    } else if (current.length + joiner.length + piece.length <= maxChars) {
      current += joiner + piece;
    } else {
      parts.push(current);
      current = piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}

function hardCut(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + maxChars, text.length);
    // Never cut a surrogate pair in two: the halves are not valid text.
    if (end < text.length && end - start > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
