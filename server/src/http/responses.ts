import { Problem, problemContentType } from '@taskproc/spec';
import type { z } from 'zod';

/** OpenAPI response entries, so every route documents its errors the same way. */
export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function problemContent(description: string) {
  return { content: { [problemContentType]: { schema: Problem } }, description };
}

/** The errors any authenticated route can answer. */
export const authErrors = {
  401: problemContent('unauthorized: missing, unknown or revoked token'),
  403: problemContent('forbidden: the token\'s role may not call this route'),
  503: problemContent('database_unavailable (the database is unreachable) or unavailable (shutting down); retry after Retry-After'),
} as const;

export const security = [{ bearer: [] }];
