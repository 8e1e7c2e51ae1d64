import type { z } from 'zod';
import type { BatchScheduleItem, BatchScheduleOutcome } from '@taskproc/spec';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { problemBody } from '../http/problem.ts';
import { admitSchedule } from '../limits/schedule-admission.ts';
import { actingAppIdOf, appScopeOf } from './app-scope.ts';
import { scheduleTask } from './schedule-task.ts';
import { toTaskJson } from './task-json.ts';

export interface ScheduleBatchOptions {
  principal: Principal;
  /** The tasks as the route validated them (defaults applied). */
  items: Array<z.output<typeof BatchScheduleItem>>;
  /** The request's X-Request-Id: stored with each task, named in each problem. */
  requestId: string;
}

/**
 * POST /v1/tasks/batch: each task gets what POST /v1/tasks would answer it alone. Admission
 * goes in order, each task counting the ones admitted before it against the quotas (they are
 * not stored yet; nothing is read when no limit applies); then every admitted task is checked
 * and stored at once, so those that pass meet in one insert (task-inserts.ts). A failure that is
 * not a refusal (the database away) fails the request, as it would fail a single one.
 */
export async function scheduleBatch(deps: Deps, options: ScheduleBatchOptions): Promise<BatchScheduleOutcome[]> {
  const { principal, items, requestId } = options;
  const appId = actingAppIdOf(principal);
  const refusal = (err: unknown): BatchScheduleOutcome => {
    if (!(err instanceof ApiError)) throw err;
    const retryAfter = err.extra.headers?.['Retry-After'];
    return {
      status: err.status,
      problem: problemBody(err.code, err.detail, err.extra, requestId),
      ...(retryAfter !== undefined ? { retryAfter: Number(retryAfter) } : {}),
    };
  };

  const refusals: Array<BatchScheduleOutcome | undefined> = [];
  const admittedOfUser = new Map<string, number>();
  let admittedOfApp = 0;
  for (const { userId } of items) {
    try {
      const admittedBefore = { app: admittedOfApp, user: userId ? (admittedOfUser.get(userId) ?? 0) : 0 };
      await admitSchedule(deps, { principal, appId, userId, admittedBefore });
      admittedOfApp++;
      if (userId) admittedOfUser.set(userId, admittedBefore.user + 1);
      refusals.push(undefined);
    } catch (err) {
      refusals.push(refusal(err));
    }
  }

  return Promise.all(
    items.map(async ({ idempotencyKey, ...request }, i) => {
      const refused = refusals[i];
      if (refused) return refused;
      try {
        const { row, created } = await scheduleTask(deps, { appId, request, fileOwner: appScopeOf(principal), idempotencyKey, requestId });
        return { status: created ? 201 : 200, task: toTaskJson(row) };
      } catch (err) {
        return refusal(err);
      }
    }),
  );
}
