import type { ClaimedTask } from '@taskproc/spec';

/**
 * Parked claim requests, per task type. A waiter is woken at most once; waking takes waiters in
 * arrival order, as many as there are new tasks, so one new task does not stampede every poller.
 *
 * A waiter that has looked for work and found none may also accept a hand-off: scheduling takes
 * it out of the queues (`takeHandoff`), inserts the new task already leased to it, and delivers
 * the task, so it is answered without a claim query and the task is never queued.
 */
export interface WorkWaiters {
  /**
   * Parks until woken for one of `types` or until `signal` aborts (then the promise resolves
   * too: the caller looks at its own signal). Register BEFORE checking for work, so that a task
   * scheduled between the check and the wait is not missed. `handoff` says which provider would
   * take each type, and for how long a lease.
   */
  park(types: readonly string[], signal: AbortSignal, handoff?: HandoffTerms): Waiter;
  /** Wakes up to `count` waiters parked on `type`; returns how many were woken. */
  wake(type: string, count: number): number;
  /**
   * The longest-parked waiter on `type` that accepts a hand-off for `providerId` (the type's
   * serving provider now: a waiter parked before the preference order changed may not take it),
   * reserved for one task: it is out of the queues until the offer is delivered or declined, and
   * the caller must do one of the two.
   */
  takeHandoff(type: string, providerId: string): HandoffOffer | undefined;
  /** Wakes everyone (safety sweep, shutdown). */
  wakeAll(): void;
  /** Types with parked waiters, and how many wait on each. */
  parkedTypes(): Map<string, number>;
  /** Number of parked waiters. */
  size(): number;
  /** Parked waiters that looked, found nothing and wait (those a hand-off may pick). */
  idle(): number;
}

export interface HandoffTerms {
  /** Task type -> the requesting provider that takes it. */
  providerFor: ReadonlyMap<string, string>;
  leaseMs: number;
}

export interface HandoffOffer {
  providerId: string;
  leaseMs: number;
  /** The task was inserted leased to this waiter: its claim answers with it. */
  deliver(task: ClaimedTask): void;
  /** The task was queued instead (or not written): the waiter is woken to look, as by `wake`. */
  decline(): void;
}

export interface Waiter {
  /** Resolves when woken, handed a task, or aborted. */
  readonly woken: Promise<void>;
  /**
   * The type whose new work woke this waiter, if a wake reached it. A caller that leaves without
   * claiming after such a wake passes it on (`wake(type, 1)`), so the new task is not stranded.
   */
  wokenBy(): string | undefined;
  /** From now on hand-offs may pick this waiter: call it once its look for work found nothing. */
  acceptHandoff(): void;
  /**
   * Leaves the queues. Resolves with the task handed to this waiter, if one was; while an offer
   * is outstanding it waits for it, so a task inserted for this waiter is never dropped.
   */
  settle(): Promise<ClaimedTask | undefined>;
}

interface Entry {
  types: readonly string[];
  resolve: () => void;
  wokenBy?: string;
  done: boolean;
  signal: AbortSignal;
  handoff?: HandoffTerms;
  accepting: boolean;
  /** Set while a hand-off offer for this waiter is outstanding; resolves when it is settled. */
  offer?: Promise<void>;
  handed?: ClaimedTask;
}

export function createWorkWaiters(): WorkWaiters {
  const byType = new Map<string, Set<Entry>>();
  let count = 0;
  let idle = 0;

  const remove = (entry: Entry) => {
    if (entry.done) return;
    entry.done = true;
    count--;
    if (entry.accepting) idle--;
    for (const type of entry.types) {
      const set = byType.get(type);
      set?.delete(entry);
      if (set?.size === 0) byType.delete(type);
    }
  };

  const wake = (type: string, n: number): number => {
    let woken = 0;
    const set = byType.get(type);
    if (!set) return 0;
    for (const entry of [...set]) {
      if (woken >= n) break;
      remove(entry);
      entry.wokenBy = type;
      entry.resolve();
      // A request whose client went away cannot take the task; the wake goes to the next one.
      if (!entry.signal.aborted) woken++;
    }
    return woken;
  };

  return {
    park(types, signal, handoff) {
      let resolve!: () => void;
      const woken = new Promise<void>((r) => (resolve = r));
      const entry: Entry = { types, resolve, done: false, signal, handoff, accepting: false };
      count++;
      for (const type of types) {
        let set = byType.get(type);
        if (!set) byType.set(type, (set = new Set()));
        set.add(entry);
      }
      const onAbort = () => {
        remove(entry);
        resolve();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      return {
        woken: woken.finally(() => signal.removeEventListener('abort', onAbort)),
        wokenBy: () => entry.wokenBy,
        acceptHandoff: () => {
          if (entry.done || entry.accepting || entry.handoff === undefined) return;
          entry.accepting = true;
          idle++;
        },
        async settle() {
          remove(entry);
          resolve();
          await entry.offer;
          return entry.handed;
        },
      };
    },
    wake,
    takeHandoff(type, providerId) {
      const set = byType.get(type);
      if (!set) return undefined;
      for (const entry of set) {
        if (!entry.accepting || entry.handoff?.providerFor.get(type) !== providerId || entry.signal.aborted) continue;
        remove(entry);
        let settled!: () => void;
        entry.offer = new Promise<void>((r) => (settled = r));
        let open = true;
        const settle = (handed: ClaimedTask | undefined) => {
          if (!open) return;
          open = false;
          entry.handed = handed;
          if (!handed) entry.wokenBy = type;
          settled();
          entry.resolve();
        };
        return {
          providerId,
          leaseMs: entry.handoff!.leaseMs,
          deliver: (task) => settle(task),
          decline: () => settle(undefined),
        };
      }
      return undefined;
    },
    wakeAll() {
      for (const type of [...byType.keys()]) wake(type, Number.POSITIVE_INFINITY);
    },
    parkedTypes() {
      return new Map([...byType].map(([type, set]) => [type, set.size]));
    },
    size: () => count,
    idle: () => idle,
  };
}
