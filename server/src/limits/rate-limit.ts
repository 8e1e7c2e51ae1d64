import type { Db } from '../db/create-db.ts';

export interface RateLimitHit {
  allowed: boolean;
  /** When refused: seconds until the window ends and the caller may try again. */
  retryAfterS: number;
}

/**
 * Counts one request of `key` in the current fixed window (windows are aligned to the epoch),
 * unless the window already holds `limit`: then nothing changes and the request is refused.
 * One statement on a row every coordinator shares, so alternating replicas does not help a
 * caller; the row lock of ON CONFLICT DO UPDATE makes concurrent hits count exactly.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowS: number, now: Date): Promise<RateLimitHit> {
  const windowMs = windowS * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const rows = await db.query(
    `INSERT INTO rate_counters AS r (key, window_start, count) VALUES ($1, $2::timestamptz, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = r.count + 1 WHERE r.count < $3
     RETURNING r.count`,
    [key, new Date(windowStart).toISOString(), limit],
  );
  return {
    allowed: rows.length > 0,
    retryAfterS: Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000)),
  };
}

/** Drops windows that ended: nothing reads them. */
export async function pruneRateCounters(db: Db, now: Date, windowS: number): Promise<void> {
  await db.query('DELETE FROM rate_counters WHERE window_start < $1::timestamptz', [
    new Date(now.getTime() - 2 * windowS * 1000).toISOString(),
  ]);
}
