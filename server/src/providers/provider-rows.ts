import type { ProviderDescriptor, Provider } from '@taskproc/spec';
import type { providers } from '../db/schema.ts';

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

export function toProviderJson(row: ProviderRow, now: Date, livenessMs: number): Provider {
  return {
    ...descriptorOf(row),
    id: row.id,
    appId: row.appId,
    registeredAt: row.registeredAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    live: isLive(row, now, livenessMs),
  };
}
