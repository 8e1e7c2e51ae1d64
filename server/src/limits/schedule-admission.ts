import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { hitRateLimit } from './rate-limit.ts';

export interface ScheduleCaller {
  principal: Principal;
  /** The app the task will belong to. */
  appId: string;
  /** The user the app schedules for, when it says. */
  userId: string | null | undefined;
  /**
   * Tasks of the same request admitted before this one (POST /v1/tasks/batch), not stored yet:
   * they count against the quotas as if they were.
   */
  admittedBefore?: { app: number; user: number };
}

// Keys of the shared counters. App ids hold no ':' (spec AppId); the user id comes last, so any
// user id makes a key of its own.
const userKey = (appId: string, userId: string) => `schedule:user:${appId}:${userId}`;
const appKey = (appId: string) => `schedule:app:${appId}`;

/** Seconds a caller over its unfinished-task quota is told to wait: tasks end at their own pace. */
const quotaRetryAfterS = 5;

/**
 * Per-caller policy on scheduling, checked before anything is validated or written: the rate
 * limits (per user of an app, per app) and the quotas of unfinished tasks. Admin tokens are
 * exempt: operators repair things with them. Both kinds are read from the database, so they
 * hold across coordinator replicas.
 *
 * The quotas count committed tasks: requests of one caller racing each other may pass the check
 * together, so a quota may be overshot by the number of that caller's requests in flight at
 * once, never more (a batch counts its own tasks: see `admittedBefore`).
 */
export async function admitSchedule(deps: Pick<Deps, 'db' | 'config' | 'now'>, caller: ScheduleCaller): Promise<void> {
  if (caller.principal.role === 'admin') return;
  const { config } = deps;
  const window = config.TASKPROC_SCHEDULE_RATE_WINDOW_S;
  const { userId, appId } = caller;
  if (userId && config.TASKPROC_SCHEDULE_RATE_PER_USER > 0) {
    const hit = await hitRateLimit(deps.db, userKey(appId, userId), config.TASKPROC_SCHEDULE_RATE_PER_USER, window, deps.now());
    if (!hit.allowed) {
      throw rateLimited(`user ${userId} of app ${appId} may schedule ${config.TASKPROC_SCHEDULE_RATE_PER_USER} tasks per ${window} s`, hit.retryAfterS);
    }
  }
  if (config.TASKPROC_SCHEDULE_RATE_PER_APP > 0) {
    const hit = await hitRateLimit(deps.db, appKey(appId), config.TASKPROC_SCHEDULE_RATE_PER_APP, window, deps.now());
    if (!hit.allowed) {
      throw rateLimited(`app ${appId} may schedule ${config.TASKPROC_SCHEDULE_RATE_PER_APP} tasks per ${window} s`, hit.retryAfterS);
    }
  }
  if (userId && config.TASKPROC_MAX_UNFINISHED_PER_USER > 0) {
    const max = config.TASKPROC_MAX_UNFINISHED_PER_USER;
    if ((await countUnfinished(deps, appId, userId, max)) + (caller.admittedBefore?.user ?? 0) >= max) {
      throw overQuota(`user ${userId} of app ${appId} has ${max} unfinished tasks, as many as the quota allows`);
    }
  }
  if (config.TASKPROC_MAX_UNFINISHED_PER_APP > 0) {
    const max = config.TASKPROC_MAX_UNFINISHED_PER_APP;
    if ((await countUnfinished(deps, appId, null, max)) + (caller.admittedBefore?.app ?? 0) >= max) {
      throw overQuota(`app ${appId} has ${max} unfinished tasks, as many as the quota allows`);
    }
  }
}

// Two statements, not one with `user_id = $2 OR $2 IS NULL`: a generic plan of that could not
// seek the index on (app_id, user_id) and would walk every unfinished task of the app.
const countUserSql = `SELECT count(*)::int AS n FROM (
  SELECT 1 FROM tasks WHERE app_id = $1 AND user_id = $2 AND status IN ('scheduled', 'running') LIMIT $3) AS unfinished`;
const countAppSql = `SELECT count(*)::int AS n FROM (
  SELECT 1 FROM tasks WHERE app_id = $1 AND status IN ('scheduled', 'running') LIMIT $2) AS unfinished`;

/** Unfinished tasks of an app (and user), counted up to `upTo` only: the answer is "at the quota" or not. */
async function countUnfinished(deps: Pick<Deps, 'db'>, appId: string, userId: string | null, upTo: number): Promise<number> {
  const rows = userId === null ? await deps.db.query(countAppSql, [appId, upTo]) : await deps.db.query(countUserSql, [appId, userId, upTo]);
  return Number(rows[0]?.n ?? 0);
}

function rateLimited(detail: string, retryAfterS: number): ApiError {
  return new ApiError('rate_limited', `${detail}; retry in ${retryAfterS} s`, { headers: { 'Retry-After': String(retryAfterS) } });
}

function overQuota(detail: string): ApiError {
  return new ApiError('quota_exceeded', `${detail}; schedule more once some have ended`, {
    headers: { 'Retry-After': String(quotaRetryAfterS) },
  });
}
