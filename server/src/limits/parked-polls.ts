import { randomUUID } from 'node:crypto';
import type { Db } from '../db/create-db.ts';
import { ApiError } from '../errors.ts';

/**
 * How many long-polls each token has parked, here and on the other coordinators, so that one
 * token cannot hold any number of requests (and their sockets) open. This coordinator's counts
 * are exact; the other replicas' come from `parked_polls`, which every replica rewrites with its
 * own counts about twice a second (`sync`). A token that alternates replicas therefore gets at
 * most its limit, plus what it parks elsewhere within one sync interval.
 */
export interface ParkedPolls {
  /** Counts one parked poll of `tokenId`, or throws 429 too_many_polls. Call the returned function when it ends. */
  admit(tokenId: number): () => void;
  /** Writes this coordinator's counts and reads the others' (a periodic job; PostgreSQL only). */
  sync(db: Db): Promise<void>;
}

/** Rows of a replica that has not written for this long (it was killed) stop counting, s. */
const staleAfterS = 5;

export function createParkedPolls(options: { max: number }): ParkedPolls {
  const replica = randomUUID();
  const local = new Map<number, number>();
  let remote = new Map<number, number>();

  return {
    admit(tokenId) {
      if (options.max <= 0) return () => {};
      const here = local.get(tokenId) ?? 0;
      if (here + (remote.get(tokenId) ?? 0) >= options.max) {
        throw new ApiError('too_many_polls', `this token already has ${options.max} claims parked; wait for one to end`, {
          headers: { 'Retry-After': '1' },
        });
      }
      local.set(tokenId, here + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (local.get(tokenId) ?? 1) - 1;
        if (left > 0) local.set(tokenId, left);
        else local.delete(tokenId);
      };
    },
    async sync(db) {
      if (options.max <= 0 || db.kind !== 'postgres') return;
      const tokens = [...local.keys()];
      const rows = await db.query(syncSql, [replica, tokens, tokens.map((t) => local.get(t) ?? 0), staleAfterS]);
      remote = new Map(rows.map((r) => [Number(r.token_id), Number(r.n)]));
    },
  };
}

// One statement: upsert this replica's counts, drop its tokens with none parked any more and
// rows of replicas long gone, and read the other live replicas' sums. The final SELECT sees the
// table as it was before this statement's writes, which touch only this replica's rows anyway.
const syncSql = `
WITH mine AS (
  INSERT INTO parked_polls (replica, token_id, count, seen_at)
  SELECT $1, t, c, now() FROM unnest($2::int[], $3::int[]) AS x(t, c)
  ON CONFLICT (replica, token_id) DO UPDATE SET count = excluded.count, seen_at = excluded.seen_at
), gone AS (
  DELETE FROM parked_polls
  WHERE (replica = $1 AND NOT (token_id = ANY($2::int[]))) OR seen_at < now() - interval '10 minutes'
)
SELECT token_id, sum(count)::int AS n FROM parked_polls
WHERE replica <> $1 AND seen_at > now() - make_interval(secs => $4) AND count > 0
GROUP BY token_id`;
