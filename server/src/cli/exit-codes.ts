import { ApiError, ConnectionError, TimeoutError } from '@taskproc/spec';
import { UsageError } from './usage-error.ts';

/**
 * The exit codes, for scripts. One table: the help text, the README and the mapping below all
 * read it, so they cannot drift apart.
 */
export const exitCodes = {
  ok: 0,
  /** The coordinator refused (its problem is printed), or anything else went wrong. */
  failed: 1,
  usage: 2,
  /** No answer (refused, timed out) or 503: the coordinator is down or cannot serve now; retry later. */
  unreachable: 3,
  /** What the command names does not exist (404 not_found, 422 unknown_task_type). */
  notFound: 4,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Each code with a short name (in every command's help) and what it means (root help, README). */
export const exitCodeHelp: ReadonlyArray<readonly [ExitCode, string, string]> = [
  [exitCodes.ok, 'ok', 'done'],
  [exitCodes.failed, 'error', 'the coordinator refused (code and detail on stderr), or another error'],
  [exitCodes.usage, 'usage', 'unknown command or option, bad value, no token; nothing was sent'],
  [exitCodes.unreachable, 'unreachable', 'cannot reach the coordinator (connection refused, timeout) or it answered 503: retry later'],
  [exitCodes.notFound, 'not found', 'the task, token, provider or task type named does not exist'],
];

/** Whether an API error means "the thing named does not exist". */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.code === 'unknown_task_type');
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return exitCodes.usage;
  if (err instanceof ConnectionError || err instanceof TimeoutError) return exitCodes.unreachable;
  if (err instanceof ApiError && err.status === 503) return exitCodes.unreachable;
  if (isNotFound(err)) return exitCodes.notFound;
  return exitCodes.failed;
}
