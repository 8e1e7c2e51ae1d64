import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/create-db.ts';
import { apiTokens } from '../db/schema.ts';
import { hashTokenSecret } from './token-secret.ts';
import type { SeedToken } from './seed-token-list.ts';
import { createToken } from './tokens.ts';

/**
 * Stores the seeded tokens that are not stored yet (hashed, like every token). A seeded token an
 * admin revoked stays revoked: its hash is there, so it is not stored again. Under the bootstrap's
 * advisory lock, so replicas starting together store each once.
 */
export async function seedTokens(db: Database, seeds: readonly SeedToken[], lockKey: number): Promise<number> {
  if (seeds.length === 0) return 0;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${lockKey})`);
    let stored = 0;
    for (const seed of seeds) {
      const [existing] = await tx.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.tokenHash, hashTokenSecret(seed.secret))).limit(1);
      if (existing) continue;
      await createToken(tx, { role: seed.role, appId: seed.appId, name: `TASKPROC_SEED_TOKENS (${seed.role} ${seed.appId})`, secret: seed.secret });
      stored++;
    }
    return stored;
  });
}
