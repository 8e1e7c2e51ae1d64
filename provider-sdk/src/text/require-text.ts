import { ProcessingError } from '../processing-errors.ts';

/** Refuses an empty text before the model is asked: there is nothing to work on. */
export function requireText(text: string): string {
  if (!text.trim()) throw new ProcessingError('The input text is empty', { userFacingMessage: 'The input text is empty' });
  return text;
}
