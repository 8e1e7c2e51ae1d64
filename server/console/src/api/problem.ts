import { ApiError, TaskprocError } from '@taskproc/client';

/** An error as the console shows it: the API's own words, and where they belong. */
export interface ShownError {
  message: string;
  /** The input slot at fault (problem+json `slot`). */
  slot?: string;
  /** The request field at fault without its `json.` prefix (problem+json `field`), e.g. `customId`. */
  field?: string;
}

export function shownError(err: unknown): ShownError {
  if (err instanceof ApiError) {
    const words = err.detail ?? err.message;
    const message = err.code ? `${words} (${err.code})` : words;
    const field = err.field?.replace(/^json\./, '');
    return { message, ...(err.slot ? { slot: err.slot } : {}), ...(field ? { field } : {}) };
  }
  if (err instanceof TaskprocError || err instanceof Error) return { message: err.message };
  return { message: String(err) };
}
