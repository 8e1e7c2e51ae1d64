import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import type { ProviderRow } from '../providers/provider-rows.ts';
import type { TaskRow } from '../tasks/task-json.ts';
import type { OpenLease } from './lease-book.ts';
import { mayActAs } from './provider-access.ts';

/**
 * A lease this coordinator just handed out (claimed from the queue, or `fromQueue` false: handed
 * straight to a parked claim): remembered for the fast report paths, counted as running.
 */
export function noteLeaseHandedOut(deps: Pick<Deps, 'leases' | 'queue'>, row: TaskRow, fromQueue: boolean): void {
  deps.queue.started(row.type, row.priority, 1, fromQueue);
  deps.leases.add({ leaseId: row.leaseId!, taskId: row.id, type: row.type, providerId: row.providerId! });
}

/**
 * The open lease of a report, when this coordinator handed it out and the caller may act as its
 * provider: what lets a result or heartbeat skip reading the task. Undefined sends the report the
 * exact way, which answers every refusal precisely.
 */
export async function findOpenLease(
  deps: Pick<Deps, 'leases' | 'providers' | 'db'>,
  principal: Principal,
  taskId: number,
  leaseId: string,
): Promise<{ lease: OpenLease; provider: ProviderRow } | undefined> {
  const lease = deps.leases.find(leaseId, taskId);
  if (!lease) return undefined;
  const provider = await deps.providers.find(deps.db.db, lease.providerId);
  return provider && mayActAs(principal, provider) ? { lease, provider } : undefined;
}
