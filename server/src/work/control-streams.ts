import type { LeaseEnded } from '@taskproc/spec';
import type { Signals } from '../signals/signals.ts';

/** The control streams (GET /v1/work/control) open on this coordinator. */
export interface ControlStreams {
  /**
   * Calls `send` with every lease end of one of `providerIds`, here or (over LISTEN) on another
   * replica, until the returned function is called.
   */
  open(providerIds: readonly string[], send: (notice: LeaseEnded) => void): () => void;
  /** How many are open (a gauge; tests wait for a provider's stream with it). */
  count(): number;
}

/**
 * One signals listener for every stream, dispatching by provider id: a lease end costs a map
 * lookup however many provider processes are connected.
 */
export function createControlStreams(signals: Signals): ControlStreams {
  const byProvider = new Map<string, Set<(notice: LeaseEnded) => void>>();
  let open = 0;
  signals.onLeaseEnded((notice) => {
    for (const send of byProvider.get(notice.providerId) ?? []) send(notice);
  });
  return {
    open(providerIds, send) {
      const ids = [...new Set(providerIds)];
      for (const id of ids) {
        let set = byProvider.get(id);
        if (!set) byProvider.set(id, (set = new Set()));
        set.add(send);
      }
      open++;
      let closed = false;
      return () => {
        if (closed) return;
        closed = true;
        open--;
        for (const id of ids) {
          const set = byProvider.get(id);
          set?.delete(send);
          if (set?.size === 0) byProvider.delete(id);
        }
      };
    },
    count: () => open,
  };
}
