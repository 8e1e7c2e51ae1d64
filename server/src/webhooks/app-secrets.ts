import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { appSecrets } from '../db/schema.ts';
import { generateWebhookSecret } from './sign.ts';

/**
 * The app's webhook signing secret, created on first use. Two first uses racing each other agree
 * on one secret: the insert does nothing when the row exists, and both read the stored one.
 */
export async function getWebhookSecret(db: Executor, appId: string): Promise<string> {
  const [existing] = await db.select().from(appSecrets).where(eq(appSecrets.appId, appId)).limit(1);
  if (existing) return existing.webhookSecret;
  await db.insert(appSecrets).values({ appId, webhookSecret: generateWebhookSecret() }).onConflictDoNothing();
  const [stored] = await db.select().from(appSecrets).where(eq(appSecrets.appId, appId)).limit(1);
  return stored!.webhookSecret;
}

/** Replaces the app's secret with a new one; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(db: Executor, appId: string): Promise<string> {
  const secret = generateWebhookSecret();
  await db
    .insert(appSecrets)
    .values({ appId, webhookSecret: secret })
    .onConflictDoUpdate({ target: appSecrets.appId, set: { webhookSecret: secret, createdAt: sql`now()` } });
  return secret;
}
