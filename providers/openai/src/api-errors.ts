import { ProcessingError } from '@taskproc/provider-sdk';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';

/** User-facing messages, kept apart so every failure of one kind reads the same. */
export const userMessages = {
  credentials: 'The AI service rejected the credentials',
  quota: 'The AI service quota is exhausted',
  busy: 'The AI service is busy; please try again later',
  unavailable: 'The AI service is unavailable right now; please try again later',
  unreachable: 'The AI service could not be reached',
  timeout: 'The AI service took too long to answer',
  tooLong: 'The text is too long for the AI model',
  modelMissing: 'The AI model is not available',
  rejected: 'The AI service could not process this request',
  empty: 'The AI service returned an empty answer',
} as const;

/**
 * The request did not fit the model's context window. Handlers that can split their input catch
 * it and retry with smaller parts; anywhere else it fails the task like any ProcessingError.
 */
export class ContextLengthError extends ProcessingError {
  override name = 'ContextLengthError';
  constructor(message: string) {
    super(message, { userFacingMessage: userMessages.tooLong });
  }
}

/** What to do about a failed API request. */
export type ApiFailure =
  /** The caller aborted (task cancelled, process stopping): rethrow, never report as a failure. */
  | { kind: 'abort' }
  /** Transient: try again after `retryAfterMs` (from the server) or a backoff; `error` if out of tries. */
  | { kind: 'retry'; retryAfterMs: number | undefined; error: ProcessingError }
  /** Permanent: fail the task with `error`. */
  | { kind: 'fail'; error: ProcessingError }
  /** Not from the API client (a bug or a parse error): rethrow as it is. */
  | { kind: 'other' };

/** Local servers word context overflows differently; these cover OpenAI, vLLM, llama.cpp, Ollama and LocalAI. */
const contextLengthPattern =
  /context_length_exceeded|context length|maximum context|context window|exceed_context_size|exceeds the available context/i;

/**
 * Sorts an error thrown by the `openai` client into retry, fail or abort, in one place, with a
 * message for logs that says what happened and a message for people that leaks nothing.
 */
export function classifyApiError(error: unknown, options: { timeoutMs: number; now: () => number }): ApiFailure {
  // APIUserAbortError and the timeout are subclasses of APIError: test them first.
  if (error instanceof APIUserAbortError) return { kind: 'abort' };
  if (error instanceof APIConnectionTimeoutError) {
    return {
      kind: 'fail',
      error: new ProcessingError(`The AI service did not answer within ${options.timeoutMs} ms`, {
        userFacingMessage: userMessages.timeout,
      }),
    };
  }
  if (error instanceof APIConnectionError) {
    return {
      kind: 'retry',
      retryAfterMs: undefined,
      error: new ProcessingError(`Could not connect to the AI service: ${describeConnectionError(error)}`, {
        userFacingMessage: userMessages.unreachable,
      }),
    };
  }
  if (!(error instanceof APIError) || error.status === undefined) return { kind: 'other' };

  const status = error.status;
  const detail = `The AI service answered HTTP ${status}: ${error.message}`;
  const fail = (userFacingMessage: string): ApiFailure => ({
    kind: 'fail',
    error: new ProcessingError(detail, { userFacingMessage }),
  });
  const retry = (userFacingMessage: string): ApiFailure => ({
    kind: 'retry',
    retryAfterMs: retryAfterMs(error.headers, options.now),
    error: new ProcessingError(detail, { userFacingMessage }),
  });

  if (status === 401 || status === 403) return fail(userMessages.credentials);
  // OpenAI answers 429 both for "slow down" and for "no credit left"; only the first passes.
  if (status === 429) return error.code === 'insufficient_quota' ? fail(userMessages.quota) : retry(userMessages.busy);
  if (status === 408 || status === 409 || status >= 500) return retry(userMessages.unavailable);
  if (status === 400 && (contextLengthPattern.test(error.code ?? '') || contextLengthPattern.test(error.message) || contextLengthPattern.test(error.type ?? ''))) {
    return { kind: 'fail', error: new ContextLengthError(detail) };
  }
  if (status === 404) return fail(userMessages.modelMissing);
  return fail(userMessages.rejected);
}

/**
 * What a connection failure was, with where it went: openai-node says only "Connection error.";
 * the socket error under it (fetch's TypeError, then its cause) has the code, host and port.
 */
export function describeConnectionError(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 6 && cause instanceof Error; depth++, cause = cause.cause) {
    const socket = cause as Error & { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
    if (typeof socket.code !== 'string') continue;
    const host = typeof socket.hostname === 'string' ? socket.hostname : typeof socket.address === 'string' ? socket.address : undefined;
    const where = host ? ` to ${host}${typeof socket.port === 'number' ? `:${socket.port}` : ''}` : '';
    return `${socket.code}${where} (${socket.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The wait a server asks for: `retry-after-ms` (OpenAI's), else `retry-after` in seconds or as an
 * HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | undefined, now: () => number): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}
