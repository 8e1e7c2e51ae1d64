import postgres from 'postgres';
import { outageOptions } from './postgres-options.ts';

export interface PgListener {
  /** Subscribes to `channel`; resolves once the LISTEN is in place. Returns the unsubscribe. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Called each time the LISTEN connection is back after it dropped (a database restart, a
   * network cut). Notifications sent in the gap are lost, so whoever relies on them looks again.
   */
  onRestored(listener: () => void): () => void;
  /**
   * How many other connections to this database may be coordinators listening (by their
   * application_name), asked on the listening connection itself so that it is left out.
   */
  countOtherListeners(): Promise<number>;
  close(): Promise<void>;
}

/** The application_name of every coordinator's LISTEN connection: how replicas find each other. */
export const listenerApplicationName = 'taskproc-listen';
/** The application_name of the coordinator's other connections (not LISTEN ones). */
export const poolApplicationName = 'taskproc';
/** What postgres.js names a connection when told nothing, as coordinators did before the names. */
const unnamedApplicationName = 'postgres.js';

/** Waits between attempts to listen again while the database is down, ms. */
const retryMs = { first: 100, max: 2_000 };

/**
 * LISTEN on a connection of its own that comes back by itself. postgres.js re-listens once when
 * its listen connection closes, and swallows the failure when the database is still down, after
 * which nothing is heard again; here a closed connection starts a loop that LISTENs on every
 * channel until it succeeds.
 */
export function createPgListener(url: string, onError: (err: unknown) => void): PgListener {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const restoredListeners = new Set<() => void>();
  let closing = false;
  let relistening: Promise<void> | undefined;
  let lostSinceListen = false;

  // `onnotify` is how postgres.js's own listen() hears notifications; its typings leave it out.
  const options: postgres.Options<Record<string, never>> & { onnotify: (channel: string, payload: string) => void } = {
    ...outageOptions,
    max: 1,
    max_lifetime: null,
    fetch_types: false,
    connection: { application_name: listenerApplicationName },
    onnotice: () => {},
    onnotify: (channel, payload) => {
      for (const handler of handlers.get(channel) ?? []) handler(payload);
    },
    onclose: () => {
      if (closing || handlers.size === 0) return;
      lostSinceListen = true;
      relistening ??= relistenUntilDone().finally(() => (relistening = undefined));
    },
  };
  const sql = postgres(url, options);

  const listenStatement = (channel: string) => `LISTEN "${channel.replace(/"/g, '""')}"`;

  async function relistenUntilDone(): Promise<void> {
    for (let attempt = 0; !closing; attempt++) {
      try {
        lostSinceListen = false;
        for (const channel of handlers.keys()) await sql.unsafe(listenStatement(channel));
        // The connection may have dropped again while we listened; then onclose already asked
        // for another round, which this loop is: go on.
        if (lostSinceListen) continue;
        for (const listener of restoredListeners) listener();
        return;
      } catch (err) {
        if (attempt === 0) onError(err);
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs.max, retryMs.first * 2 ** attempt)).unref());
      }
    }
  }

  return {
    async listen(channel, onMessage) {
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        await sql.unsafe(listenStatement(channel));
      }
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
        if (set.size > 0 || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        await sql.unsafe(`UN${listenStatement(channel)}`).catch(() => {});
      };
    },
    onRestored(listener) {
      restoredListeners.add(listener);
      return () => restoredListeners.delete(listener);
    },
    async countOtherListeners() {
      // application_name is visible in every session's row, whatever role it runs as. Sessions
      // named as postgres.js names them by default may be coordinators from before the name
      // (a rolling upgrade): they count too. And when this connection does not carry the name
      // (DATABASE_URL sets its own), others cannot be told apart: assume there are some.
      const [row] = await sql.unsafe<Array<{ named: boolean; n: number }>>(
        `SELECT current_setting('application_name') = $1 AS named,
           (SELECT count(*)::int FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name IN ($1, $2)) AS n`,
        [listenerApplicationName, unnamedApplicationName],
      );
      return row?.named ? row.n : 1;
    },
    async close() {
      closing = true;
      await sql.end({ timeout: 5 });
    },
  };
}
