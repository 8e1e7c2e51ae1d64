/** The coordinator's `GET /metrics` (Prometheus text format, admin token), as far as the bench reads it. */

/** `taskproc_tasks_scheduled_total` by delivery, as counted by one coordinator process since it started. */
export interface ScheduledCounts {
  /** Inserted leased to a parked long-poll claim (handed straight to a waiting provider). */
  handoff: number;
  /** Inserted queued, for a later claim. */
  queued: number;
}

/** Tasks scheduled over a stretch of a run, and the share of them handed off. */
export interface HandoffShare extends ScheduledCounts {
  /** handoff / (handoff + queued); undefined when nothing was scheduled. */
  share: number | undefined;
}

/** Reads the scheduled-task counters; throws when the endpoint does not answer them. */
export async function readScheduledCounts(url: string, adminToken: string): Promise<ScheduledCounts> {
  const res = await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${adminToken}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${text.slice(0, 200)}`);
  const counter = (delivery: string) => {
    // `name{labels} value`; the delivery label may stand among others.
    const line = text
      .split('\n')
      .find((l) => l.startsWith('taskproc_tasks_scheduled_total{') && l.includes(`delivery="${delivery}"`));
    const value = Number(line?.slice(line.lastIndexOf('}') + 1).trim().split(' ')[0]);
    if (!line || !Number.isFinite(value)) throw new Error(`GET /metrics has no taskproc_tasks_scheduled_total{delivery="${delivery}"}`);
    return value;
  };
  return { handoff: counter('handoff'), queued: counter('queued') };
}

/** The counters' growth between two readings. */
export function handoffShare(before: ScheduledCounts, after: ScheduledCounts): HandoffShare {
  const handoff = after.handoff - before.handoff;
  const queued = after.queued - before.queued;
  const total = handoff + queued;
  return { handoff, queued, share: total > 0 ? Math.round((handoff / total) * 1_000) / 1_000 : undefined };
}

/** A stretch's hand-off share, or why `GET /metrics` could not give it. */
export type HandoffReading = HandoffShare | { error: string };

/**
 * Reads the counters now; `end()` reads them again and gives the growth in between. A
 * coordinator without the endpoint (or the counter) gives `{ error }` instead of failing the run.
 */
export async function startHandoffCount(read: () => Promise<ScheduledCounts>): Promise<{ end(): Promise<HandoffReading> }> {
  const failed = (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) });
  let before: ScheduledCounts | { error: string };
  try {
    before = await read();
  } catch (err) {
    before = failed(err);
  }
  return {
    async end() {
      if ('error' in before) return before;
      try {
        return handoffShare(before, await read());
      } catch (err) {
        return failed(err);
      }
    },
  };
}
