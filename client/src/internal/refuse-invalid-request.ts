import type { z } from 'zod';
import { BadRequestError, problemField } from '@taskproc/spec';

/**
 * Checks a request body against its spec schema before it is sent, and throws what the
 * coordinator would answer (400 invalid_request naming the field) without a round trip: text the
 * coordinator cannot store, numbers out of range, unknown types of values. Slot values are
 * checked against their shapes by the coordinator, which knows the serving provider's.
 */
export function refuseInvalidRequest(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const field = problemField('json', issue?.path);
  const detail = `${field}: ${issue?.message ?? 'invalid'} (refused by the client before sending)`;
  throw new BadRequestError(400, { code: 'invalid_request', title: 'The request is malformed', detail, field }, undefined);
}
