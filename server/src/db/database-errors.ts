/**
 * Whether an error means "the database cannot be reached right now" rather than "this statement
 * is wrong": a closed or refused connection, or PostgreSQL shutting down or starting up. Such a
 * request is answered 503 database_unavailable (the caller retries), never 500, and never read as
 * "no such token" or "no such task".
 *
 * drizzle wraps driver errors (DrizzleQueryError with the driver's error as `cause`), so the
 * chain of causes is walked.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  // SQLSTATE class 08: connection exception.
  return sqlStatesOf(err).some((code) => connectionCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code) || unavailableSqlStates.has(code));
}

/**
 * Whether the statement was refused for the values it carried (SQLSTATE classes 22, data
 * exception, and 23, integrity constraint violation): nothing was written, and the same values
 * sent apart would be refused the same way, one by one.
 */
export function isDataError(err: unknown): boolean {
  return sqlStatesOf(err).some((code) => /^2[23][0-9A-Z]{3}$/.test(code));
}

/** The codes along the chain of causes (drizzle wraps the driver's error). */
function sqlStatesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** postgres.js's own connection errors and the socket errors behind them. */
const connectionCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const unavailableSqlStates = new Set([
  '57P01', // admin_shutdown: terminating connection due to administrator command
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the database system is starting up / shutting down
  '53300', // too_many_connections
]);
