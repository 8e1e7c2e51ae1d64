import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { providers } from '../db/schema.ts';
import type { ProviderRow } from './provider-rows.ts';

/** Registered providers, of one app or (appId null) of all, grouped by task type in registration order. */
export async function listProviders(db: Executor, appId: string | null): Promise<ProviderRow[]> {
  return db
    .select()
    .from(providers)
    .where(appId === null ? undefined : eq(providers.appId, appId))
    .orderBy(asc(providers.taskType), asc(providers.registeredAt), asc(providers.id));
}

