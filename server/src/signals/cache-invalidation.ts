import type { Db } from '../db/create-db.ts';

/**
 * Channels that tell every coordinator on one PostgreSQL database to drop an in-process cache.
 * The payload names what changed (for logs); receivers clear the whole cache, since changes are
 * rare and a full clear cannot miss an entry. On PGlite there is one process and notify is a no-op.
 */
export const tokenChannel = 'taskproc_tokens';
export const catalogChannel = 'taskproc_catalog';
export const providersChannel = 'taskproc_providers';

/** What a coordinator caches per process and must drop when another process changes it. */
export interface InvalidatedCaches {
  principals: { clear(): void };
  taskTypes: { clear(): void };
  providers: { clear(): void };
}

/** After a token revocation committed: other coordinators stop accepting it at once. */
export async function announceTokenRevoked(db: Db, tokenId: number): Promise<void> {
  await db.notify(tokenChannel, String(tokenId));
}

/** After a custom task type was created or changed: other coordinators reload it. */
export async function announceTaskTypeChanged(db: Db, typeId: string): Promise<void> {
  await db.notify(catalogChannel, typeId);
}

/**
 * After a provider was registered, replaced or deleted, or a task type's settings changed: every
 * coordinator drops its provider directory. `caches` is this process's, cleared at once.
 */
export async function announceProvidersChanged(db: Db, caches: Pick<InvalidatedCaches, 'providers'>, what: string): Promise<void> {
  caches.providers.clear();
  await db.notify(providersChannel, what);
}

/**
 * LISTENs on every channel and clears the matching cache. Our own notifications come back too;
 * clearing again is harmless. Returns the function that stops listening.
 */
export async function listenForCacheChanges(db: Db, caches: InvalidatedCaches): Promise<() => Promise<void>> {
  if (db.kind !== 'postgres') return async () => {};
  const unlisteners = [
    await db.listen(tokenChannel, () => caches.principals.clear()),
    await db.listen(catalogChannel, () => caches.taskTypes.clear()),
    await db.listen(providersChannel, () => caches.providers.clear()),
  ];
  return async () => {
    await Promise.allSettled(unlisteners.map((u) => u()));
  };
}
