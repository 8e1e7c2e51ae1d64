import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { tasks } from '../db/schema.ts';

/**
 * Safety net under the wake-ups: for each task type with parked claims, if scheduled work of that
 * type exists, wake that many parked claims. Covers a lost NOTIFY and changes of the preference
 * order (a preferred provider went quiet, so the next one may now take its tasks). Parked claims
 * with no eligible type at all are woken too, so they re-evaluate the preference order.
 */
export async function recheckParkedClaims(deps: Deps): Promise<void> {
  const parked = deps.signals.work.parkedTypes();
  for (const [type, waiting] of parked) {
    const [row] = await deps.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(
        deps.db.db
          .select({ one: sql`1` })
          .from(tasks)
          .where(and(eq(tasks.status, 'scheduled'), eq(tasks.type, type)))
          .limit(waiting)
          .as('queued'),
      );
    if (row && row.n > 0) deps.signals.work.wake(type, row.n);
  }
  deps.signals.work.wake(noEligibleType, Number.POSITIVE_INFINITY);
}

/** The pseudo type a claim parks on when it may take no type at the moment. */
export const noEligibleType = '';
