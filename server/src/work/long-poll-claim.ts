import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimedTask } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import type { ProvidersWithTypes } from '../providers/provider-order.ts';
import type { Waiter } from '../signals/work-waiters.ts';
import { claimTasks, prepareClaim, type ClaimOptions } from './claim-tasks.ts';
import { noEligibleType } from './recheck-parked.ts';

/**
 * Claims at once when work exists; otherwise parks until a matching task is scheduled (handed
 * over directly by scheduling in this process, or woken by a task queued here or, over LISTEN,
 * on another replica), the wait ends, or the client goes away. There is no polling timer on this
 * path: the only timer is the deadline. (The periodic work re-check in background/ wakes parked
 * claims when the preference order changed, e.g. a provider went quiet.)
 *
 * Returns what it claimed even when the client went away meanwhile: the caller hands such tasks
 * back, since only it knows whether the answer reached the client.
 */
export async function longPollClaim(
  deps: Deps,
  requested: ProvidersWithTypes,
  options: ClaimOptions & { waitMs: number; signal: AbortSignal; tokenId: number },
): Promise<ClaimedTask[]> {
  let unpark: (() => void) | undefined;
  try {
    return await claimOrPark(deps, requested, options, (admitted) => (unpark = admitted));
  } finally {
    unpark?.();
  }
}

async function claimOrPark(
  deps: Deps,
  requested: ProvidersWithTypes,
  options: ClaimOptions & { waitMs: number; signal: AbortSignal; tokenId: number },
  onAdmitted: (unpark: () => void) => void,
): Promise<ClaimedTask[]> {
  const waitMs = Math.min(options.waitMs, deps.config.TASKPROC_MAX_WAIT_MS);
  const deadline = Date.now() + waitMs;
  const ids = requested.found.map((p) => p.id);
  // The first attempt uses what the request just looked up (ownership check included); after a
  // wake the directory is asked again, so preference changes made meanwhile apply.
  let loaded = requested;
  for (let round = 0; ; round++) {
    const eligible = prepareClaim(deps, loaded);
    // Park on the types we may take BEFORE looking, so a task scheduled while the claim query
    // runs still wakes us. With no eligible type (a preferred provider is live), the periodic
    // re-check wakes us to look at the preference order again.
    const parkOn = eligible.size > 0 ? [...eligible.keys()] : [noEligibleType];
    const waiter =
      waitMs > 0 ? deps.signals.work.park(parkOn, options.signal, { providerFor: eligible, leaseMs: options.leaseMs }) : undefined;
    let claimed: ClaimedTask[];
    try {
      claimed = await claimTasks(deps, eligible, options);
    } catch (err) {
      await waiter?.settle();
      // A claim that was parked (and woken because the database went away) answers empty: the
      // provider polls again and then hears 503 database_unavailable, and backs off.
      if (round > 0 && deps.database.failed(err)) return [];
      throw err;
    }
    const remaining = deadline - Date.now();
    if (claimed.length > 0 || remaining <= 0 || !waiter || options.signal.aborted) {
      if (waiter) await leaveWithoutWaiting(deps, waiter);
      return claimed;
    }
    // Waiting holds a request open: the token's limit on parked polls applies from here on.
    if (round === 0) {
      try {
        onAdmitted(deps.parkedPolls.admit(options.tokenId));
      } catch (err) {
        await leaveWithoutWaiting(deps, waiter);
        throw err;
      }
    }
    // Only now, having found nothing: a task handed over while we were still looking would make
    // the answer larger than `max`, or come on top of tasks we claimed.
    waiter.acceptHandoff();
    const deadlineTimer = new AbortController();
    await Promise.race([
      waiter.woken,
      sleep(remaining, undefined, { signal: deadlineTimer.signal }).catch(() => undefined),
    ]);
    deadlineTimer.abort();
    // Waits for an offer in flight: a task inserted for us must reach the caller.
    const handed = await waiter.settle();
    if (handed) return [handed];
    if (options.signal.aborted) return [];
    try {
      loaded = await deps.providers.providersWithTypes(deps.db.db, ids);
    } catch (err) {
      if (deps.database.failed(err)) return [];
      throw err;
    }
  }
}

/**
 * Leaves the queues before accepting hand-offs (so this settles at once and hands nothing). A
 * wake that came while we were claiming may be for a task we did not take (batch full, client
 * gone, refused), so it goes on to the next parked request; at worst that one finds nothing.
 */
async function leaveWithoutWaiting(deps: Deps, waiter: Waiter): Promise<void> {
  await waiter.settle();
  const wokenBy = waiter.wokenBy();
  if (wokenBy) deps.signals.work.wake(wokenBy, 1);
}
