import {
  readJson,
  TaskprocError,
  withRetries,
  type BackoffOptions,
  type Sleep,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@taskproc/spec';
import type { z } from 'zod';

/** openai-node's numbers: 0.5 s, 1 s, 2 s, ... up to 8 s. */
export const requestBackoff: BackoffOptions = { initialMs: 500, maxMs: 8_000 };

export interface CallContext {
  transport: Transport;
  maxRetries: number;
  sleep: Sleep;
  backoff?: BackoffOptions;
}

export interface CallOptions {
  /**
   * Whether repeating the request is harmless: GET, DELETE, cancel, and schedule with its
   * Idempotency-Key. An upload is not: a lost answer would leave a stray copy per retry.
   */
  retry: boolean;
}

/**
 * One API call, repeated on transient failures when it is safe to repeat. A custom `attempt`
 * sees its number and the previous error: a repeat may meet the effect of an attempt whose
 * answer was lost, and only the call knows what that looks like.
 */
export function callApi(
  ctx: CallContext,
  request: TransportRequest,
  options: CallOptions,
  attempt: (n: number, previous: unknown) => Promise<TransportResponse> = () => ctx.transport(request),
): Promise<TransportResponse> {
  if (!options.retry) return ctx.transport(request);
  return withRetries(attempt, {
    maxRetries: ctx.maxRetries,
    backoff: ctx.backoff ?? requestBackoff,
    sleep: ctx.sleep,
    signal: request.signal,
  });
}

/**
 * The JSON body checked against its spec schema. A mismatch means client and coordinator speak
 * different protocol versions; failing here beats handing out objects that lie about their type.
 */
export function parseBody<S extends z.ZodType>(res: TransportResponse, schema: S, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = readJson(res);
  } catch (err) {
    throw new TaskprocError(`${what}: the coordinator answered ${res.status} with a body that is not JSON`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw new TaskprocError(`${what}: unexpected answer from the coordinator (${where}: ${issue?.message})`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
