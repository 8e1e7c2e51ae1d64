import type { Context } from 'hono';
import type { z } from 'zod';
import { int4Max, problemField } from '@taskproc/spec';
import { problemResponse } from './problem.ts';

/**
 * zod-openapi's defaultHook: a request that fails its route schema is answered 400
 * `invalid_request`, naming the first field at fault and where it was (body, query, path).
 */
export function validationHook(
  result: { success: true; data?: unknown; target: string } | { success: false; error: z.ZodError; target: string },
  c: Context,
): Response | undefined {
  if (result.success) return result.target === 'param' ? refuseIdsPastInt4(result.data, c) : undefined;
  const issue = result.error.issues[0];
  const field = problemField(result.target, issue?.path);
  const message = issue?.message ?? 'invalid';
  return problemResponse(c, 'invalid_request', `${field}: ${message}`, { field });
}

/**
 * Numbers in paths are ids of `serial` (int4) rows. A larger one names no row, and the database
 * would refuse to compare it (a 500), so it is refused here even when a route's own param schema
 * forgot the bound (spec's rowIdParam() carries it, and shows it in the OpenAPI document).
 */
function refuseIdsPastInt4(params: unknown, c: Context): Response | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'number' && Math.abs(value) > int4Max) {
      const field = `param.${key}`;
      return problemResponse(c, 'invalid_request', `${field}: ids are integers from 1 to ${int4Max}`, { field });
    }
  }
  return undefined;
}
