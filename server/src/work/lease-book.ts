/**
 * The leases this coordinator handed out and that are still open, by lease id: what a result
 * report needs to be checked without reading the task first (its type for the output shape, the
 * provider for ownership and optional slots). Only an optimisation: a report whose lease is not
 * here (handed out by another replica, or before a restart, or forgotten) takes the exact path,
 * which reads the task. And nothing here is trusted on its own: the batched statement matches
 * the task by id, lease, provider and status, so a stale entry changes nothing.
 */
export interface LeaseBook {
  add(lease: OpenLease): void;
  /** The open lease, if this coordinator handed it out for this task. */
  find(leaseId: string, taskId: number): OpenLease | undefined;
  /** The lease ended (result, release, cancel): forget it. */
  remove(leaseId: string): void;
  size(): number;
}

export interface OpenLease {
  leaseId: string;
  taskId: number;
  type: string;
  providerId: string;
}

export function createLeaseBook(options: { maxEntries: number; maxAgeMs: number; clock?: () => number }): LeaseBook {
  const clock = options.clock ?? Date.now;
  // Insertion order is age order, so the oldest entries are the first ones.
  const entries = new Map<string, { lease: OpenLease; addedAt: number }>();
  const trim = () => {
    const oldest = clock() - options.maxAgeMs;
    for (const [id, entry] of entries) {
      if (entries.size <= options.maxEntries && entry.addedAt >= oldest) break;
      entries.delete(id);
    }
  };
  return {
    add(lease) {
      entries.set(lease.leaseId, { lease, addedAt: clock() });
      if (entries.size > options.maxEntries) trim();
    },
    find(leaseId, taskId) {
      const entry = entries.get(leaseId);
      if (!entry || entry.lease.taskId !== taskId) return undefined;
      if (entry.addedAt < clock() - options.maxAgeMs) {
        trim();
        return undefined;
      }
      return entry.lease;
    },
    remove(leaseId) {
      entries.delete(leaseId);
    },
    size: () => entries.size,
  };
}
