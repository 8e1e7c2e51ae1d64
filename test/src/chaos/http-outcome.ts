/** A request's fate: its HTTP status, or how it failed without one. */
export type HttpOutcome = number | ConnectionFailure;
/** refused: nothing listened. reset: the connection died mid-request. timeout: no answer in time. */
export type ConnectionFailure = 'refused' | 'reset' | 'timeout';

/** One request as the chaos figures count it; times are `Date.now()` (shared across processes). */
export interface HttpRecord {
  startedAt: number;
  endedAt: number;
  outcome: HttpOutcome;
  /** Who sent it, for failure messages: `app` or a provider process label. */
  by: string;
  path: string;
}

/** Names what a failed `fetch` ran into, from undici's error and its cause. */
export function classifyFetchError(err: unknown): ConnectionFailure {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError') return 'timeout';
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED' ? 'refused' : 'reset';
}

export const isConnectionFailure = (outcome: HttpOutcome): outcome is ConnectionFailure => typeof outcome === 'string';
