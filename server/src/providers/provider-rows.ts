import type { ProviderDescriptor, Provider } from '@taskproc/spec';
import type { providers } from '../db/schema.ts';
import { idleActivity, type ProviderActivity } from './provider-activity.ts';

export type ProviderRow = typeof providers.$inferSelect;

/** The stored descriptor: everything of ProviderDescriptor but the custom type (kept apart). */
export type StoredDescriptor = Omit<ProviderDescriptor, 'customTaskType'>;

export function descriptorOf(row: ProviderRow): StoredDescriptor {
  return row.descriptor as StoredDescriptor;
}

/** A provider is live while it keeps polling: its last claim or heartbeat is recent enough. */
export function isLive(row: ProviderRow, now: Date, livenessMs: number): boolean {
  return row.lastSeenAt !== null && now.getTime() - row.lastSeenAt.getTime() <= livenessMs;
}

export function toProviderJson(row: ProviderRow, now: Date, livenessMs: number, activity: ProviderActivity = idleActivity()): Provider {
  return {
    ...descriptorOf(row),
    // Descriptors stored before `concurrency` existed lack it.
    concurrency: descriptorOf(row).concurrency ?? 1,
    id: row.id,
    appId: row.appId,
    registeredAt: row.registeredAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    live: isLive(row, now, livenessMs),
    ...activity,
  };
}
