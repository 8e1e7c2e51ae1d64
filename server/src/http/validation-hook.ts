import type { Context } from 'hono';
import type { z } from 'zod';
import { problemResponse } from './problem.ts';

/**
 * zod-openapi's defaultHook: a request that fails its route schema is answered 400
 * `invalid_request`, naming the first field at fault and where it was (body, query, path).
 */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const field = path ? `${result.target}.${path}` : result.target;
  const message = issue?.message ?? 'invalid';
  return problemResponse(c, 'invalid_request', `${field}: ${message}`, { field });
}
