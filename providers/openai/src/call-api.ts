import { ProcessingError } from '@taskproc/provider-sdk';
import { classifyApiError } from './api-errors.ts';
import type { OpenAiDeps, TaskContext } from './task-context.ts';

/** What every request passes to the `openai` client: the task's signal, so a cancel aborts the HTTP call. */
export interface CallOptions {
  signal: AbortSignal;
}

const backoffBaseMs = 500;
const backoffCapMs = 8_000;

/**
 * Sends one API request, retrying 429, 5xx and connection failures up to `maxRetries` times.
 * The client's own retries are off (maxRetries 0 in create-client.ts) so that every wait happens
 * here, through the injected sleep, and honours Retry-After; a server asking for longer than
 * `maxRetryDelayMs` fails the task at once instead of holding its lease idle. Aborts are rethrown
 * untouched: cancellation is never turned into a failure or a retry.
 */
export async function callApi<T>(
  send: (options: CallOptions) => Promise<T>,
  ctx: Pick<TaskContext, 'signal' | 'logger'>,
  deps: OpenAiDeps,
): Promise<T> {
  const { maxRetries, maxRetryDelayMs, timeoutMs } = deps.config;
  for (let retry = 0; ; retry++) {
    try {
      return await send({ signal: ctx.signal });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const failure = classifyApiError(error, { timeoutMs, now: deps.now });
      if (failure.kind === 'abort' || failure.kind === 'other') throw error;
      if (failure.kind === 'fail') throw failure.error;
      if (retry >= maxRetries) throw failure.error;
      const waitMs = failure.retryAfterMs ?? backoffMs(retry, deps.random);
      if (waitMs > maxRetryDelayMs) {
        throw new ProcessingError(
          `${failure.error.message} (asked to retry after ${Math.round(waitMs)} ms, more than OPENAI_MAX_RETRY_DELAY_MS)`,
          { userFacingMessage: failure.error.userFacingMessage },
        );
      }
      ctx.logger.warn({ retry: retry + 1, waitMs, error: failure.error.message }, 'AI service request failed; retrying');
      await deps.sleep(waitMs, ctx.signal);
    }
  }
}

/** Exponential backoff with up to 25% jitter, as openai-node does it. */
function backoffMs(retry: number, random: () => number): number {
  return Math.min(backoffBaseMs * 2 ** retry, backoffCapMs) * (1 - random() * 0.25);
}
