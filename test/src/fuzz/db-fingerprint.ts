import type { Db } from '@taskproc/server';

// A cheap fingerprint of what requests write: row counts, the newest change of each table that
// has one, and a digest of the few small tables whose rows change in place (providers, custom
// types, settings, secrets). Equal before and after a refused request means it changed nothing.
//
// Left out on purpose, because they change without any request being at fault: a token's
// last_used_at (auth bookkeeping, written for refused requests too), providers.last_seen_at
// (sightings, flushed by a timer), webhook delivery progress and attempts, and app secrets (the
// delivery job makes an app's secret at its first delivery), and the rate limiter's counters and
// parked polls (they count refused requests too).

const fingerprintSql = `SELECT json_build_array(
  (SELECT count(*) FROM api_tokens), (SELECT max(revoked_at) FROM api_tokens),
  (SELECT count(*) FROM providers),
  (SELECT md5(coalesce(string_agg(id || app_id || task_type || registered_at::text || descriptor::text, ',' ORDER BY id), '')) FROM providers),
  (SELECT md5(coalesce(string_agg(id || provider_id || definition::text, ',' ORDER BY id), '')) FROM custom_task_types),
  (SELECT md5(coalesce(string_agg(type_id || enabled::text || preferred_providers::text, ',' ORDER BY type_id), '')) FROM task_type_settings),
  (SELECT count(*) FROM tasks), (SELECT max(id) FROM tasks), (SELECT max(last_updated) FROM tasks),
  (SELECT coalesce(sum(attempts), 0) FROM tasks),
  (SELECT count(*) FROM files), (SELECT max(id) FROM files),
  (SELECT count(*) FROM task_events), (SELECT max(id) FROM task_events),
  (SELECT count(*) FROM webhook_deliveries)
) AS fingerprint`;

/** The fingerprint as comparable text. */
export async function fingerprintDatabase(db: Db): Promise<string> {
  const [row] = await db.query(fingerprintSql);
  const value = row!.fingerprint;
  // postgres.js parses json; PGlite may hand the text over.
  return typeof value === 'string' ? value : JSON.stringify(value);
}
