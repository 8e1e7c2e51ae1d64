import type { Executor } from '../db/create-db.ts';
import { hashTokenSecret } from './token-secret.ts';
import { findPrincipal, type Principal } from './tokens.ts';

export type FoundPrincipal = Principal & { lastUsedAt: Date | null };

/**
 * Every request authenticates, so the token lookup is the most frequent query there is. Entries
 * live this long; revocation does not wait for it (it clears the cache here and, over NOTIFY, on
 * every replica), so the TTL only bounds how long a missed notification could matter.
 */
export const principalTtlMs = 5_000;

// Unknown secrets are cached too (a client retrying a bad token costs no query), so the map must
// be bounded: random secrets would otherwise grow it without limit.
const maxEntries = 10_000;

/** Token lookups by secret hash, with "not found" remembered as null. */
export interface PrincipalCache {
  find(db: Executor, secret: string): Promise<FoundPrincipal | null>;
  /** Records a lastUsedAt write, so the throttle in requireAuth sees it on cached entries. */
  touched(tokenId: number, at: Date): void;
  /** Drops everything: a token was revoked here or on another replica. */
  clear(): void;
}

export function createPrincipalCache(clock: () => number = Date.now): PrincipalCache {
  const entries = new Map<string, { principal: FoundPrincipal | null; expiresAt: number }>();
  // A lookup that started before a clear() may have read the token before its revocation: it
  // must not put that answer back, so it only stores when no clear happened meanwhile.
  let generation = 0;
  return {
    async find(db, secret) {
      const key = hashTokenSecret(secret);
      const hit = entries.get(key);
      if (hit && hit.expiresAt > clock()) return hit.principal;
      // A token created after this lookup cannot have been cached as unknown: generated secrets
      // are never seen before they exist, so creation needs no invalidation.
      const startedIn = generation;
      const principal = await findPrincipal(db, secret);
      if (startedIn !== generation) return principal;
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, { principal, expiresAt: clock() + principalTtlMs });
      return principal;
    },
    touched(tokenId, at) {
      for (const entry of entries.values()) {
        if (entry.principal?.tokenId === tokenId) entry.principal = { ...entry.principal, lastUsedAt: at };
      }
    },
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}
