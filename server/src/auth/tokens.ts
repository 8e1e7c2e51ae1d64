import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { TokenInfo, TokenRole } from '@taskproc/spec';
import type { Database, Executor } from '../db/create-db.ts';
import { apiTokens } from '../db/schema.ts';
import { generateTokenSecret, hashTokenSecret } from './token-secret.ts';

export interface Principal {
  tokenId: number;
  role: TokenRole;
  /** Bound app id for app and provider tokens; null for admin. */
  appId: string | null;
}

type TokenRow = typeof apiTokens.$inferSelect;

function toTokenInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    appId: row.appId,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** Creates a token; the secret is returned once and only its hash is stored. */
export async function createToken(
  db: Executor,
  input: { role: TokenRole; appId?: string | null; name: string; secret?: string },
): Promise<TokenInfo & { token: string }> {
  const secret = input.secret ?? generateTokenSecret();
  const [row] = await db
    .insert(apiTokens)
    .values({
      role: input.role,
      appId: input.role === 'admin' ? null : (input.appId ?? null),
      name: input.name,
      tokenHash: hashTokenSecret(secret),
    })
    .returning();
  return { ...toTokenInfo(row!), token: secret };
}

export async function listTokens(db: Executor): Promise<TokenInfo[]> {
  const rows = await db.select().from(apiTokens).orderBy(desc(apiTokens.id));
  return rows.map(toTokenInfo);
}

/** Revokes a token; true when it existed and was live. */
export async function revokeToken(db: Executor, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** The principal behind a secret, or null for unknown and revoked tokens. */
export async function findPrincipal(db: Executor, secret: string): Promise<(Principal & { lastUsedAt: Date | null }) | null> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashTokenSecret(secret)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row) return null;
  return { tokenId: row.id, role: row.role, appId: row.appId, lastUsedAt: row.lastUsedAt };
}

export async function touchToken(db: Executor, id: number, now: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}

/**
 * First start: with no token at all, creates an admin token. With TASKPROC_ADMIN_TOKEN that
 * secret is stored (hashed) and nothing is printed; otherwise a generated one is returned once
 * for main.ts to print. Returns null when tokens already exist or the seeded one is present.
 */
export async function bootstrapAdminToken(db: Database, seededSecret: string | undefined): Promise<string | null> {
  // Replicas starting together must not both seed the token (a unique violation that would stop
  // one) or both print a first one: one at a time, under a transaction-scoped advisory lock.
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${bootstrapLockKey})`);
    if (seededSecret) {
      const [existing] = await tx
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(eq(apiTokens.tokenHash, hashTokenSecret(seededSecret)))
        .limit(1);
      if (!existing) await createToken(tx, { role: 'admin', name: 'TASKPROC_ADMIN_TOKEN', secret: seededSecret });
      return null;
    }
    const [any] = await tx.select({ id: apiTokens.id }).from(apiTokens).limit(1);
    if (any) return null;
    const created = await createToken(tx, { role: 'admin', name: 'bootstrap admin' });
    return created.token;
  });
}

/** Advisory lock key of the bootstrap (the migrations use 7267245001). */
export const bootstrapLockKey = 7267245002;
