import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { providers } from '../db/schema.ts';

/**
 * Removes a provider. With an app id only that app's provider is removed, so a token cannot tell
 * another app's provider from a missing one. True when a row was deleted.
 *
 * Tasks already scheduled for its type stay queued for the type's other providers (or for the
 * provider to come back); its custom task type, if it defined one, stays known for the same reason.
 */
export async function deleteProvider(db: Executor, id: string, appId: string | null): Promise<boolean> {
  const rows = await db
    .delete(providers)
    .where(appId === null ? eq(providers.id, id) : and(eq(providers.id, id), eq(providers.appId, appId)))
    .returning({ id: providers.id });
  return rows.length > 0;
}
