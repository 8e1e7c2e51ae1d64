import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import { createPgListener, poolApplicationName, type PgListener } from './pg-listener.ts';
import { outageOptions } from './postgres-options.ts';
import * as schema from './schema.ts';

/** The query layer both drivers satisfy; code above this file never knows which one runs. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction handle, or the database itself: operations take either. */
export type Executor = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

/** A row as the driver returns it: snake_case columns, driver-specific value types (see raw-values.ts). */
export type RawRow = Record<string, unknown>;

export interface Db {
  readonly db: Database;
  readonly kind: 'pglite' | 'postgres';
  /**
   * One SQL statement with `$n` parameters, for the hot path. On PostgreSQL it is a named
   * prepared statement (postgres.js caches it per connection by its text), so after the first
   * use it costs one round trip, where drizzle's unnamed statements cost a describe first. Keep
   * the text constant and pass everything that varies as parameters. Timestamps and jsonb go in
   * as ISO and JSON text (cast in SQL); read values with raw-values.ts, since the drivers return
   * them differently.
   */
  query(text: string, params?: readonly unknown[]): Promise<RawRow[]>;
  /**
   * Cross-process notifications (PostgreSQL LISTEN/NOTIFY). PGlite is one process, so there
   * `notify` is a no-op and `listen` never fires: the in-process wake-up already covers it.
   */
  notify(channel: string, payload: string): Promise<void>;
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Called when the LISTEN connection is back after a drop: notifications sent in the gap were
   * lost, so whoever waits on them looks again. Never fires on PGlite.
   */
  onListenRestored(listener: () => void): () => void;
  /**
   * How many other coordinator processes listen on this database (replicas), so that nobody
   * notifies when nobody else hears it. Always 0 on PGlite.
   */
  otherCoordinators(): Promise<number>;
  /** Closes connections; safe to call twice. */
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Opens PostgreSQL when a URL is given, else embedded PGlite in `dataDir`, and applies migrations. */
export async function createDb(options: {
  databaseUrl?: string;
  dataDir: string;
  /** Errors of background connections (the LISTEN one) that no caller awaits. */
  onBackgroundError?: (err: unknown) => void;
  /** Who opens an embedded database, named to a second process the lock refuses. Default "coordinator". */
  holder?: string;
}): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.onBackgroundError ?? (() => {}))
    : openPglite(options.dataDir, options.holder ?? 'coordinator');
}

async function openPglite(dataDir: string, holder: string): Promise<Db> {
  const lock = lockDataDir(dataDir, holder);
  let client: PGlite;
  let db;
  try {
    const dir = `${dataDir}/pglite`;
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir);
    db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
  } catch (err) {
    lock.release();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    query: async (text, params) => (await client.query<RawRow>(text, params as unknown[])).rows,
    notify: async () => {},
    listen: async () => async () => {},
    onListenRestored: () => () => {},
    otherCoordinators: async () => 0,
    close: () => (closed ??= client.close().finally(() => lock.release())),
  };
}

async function openPostgres(url: string, onBackgroundError: (err: unknown) => void): Promise<Db> {
  // Named apart from the LISTEN connection, which is how replicas count each other (pg-listener.ts).
  const client = postgres(url, { max: 10, onnotice: () => {}, ...outageOptions, connection: { application_name: poolApplicationName } });
  const db = drizzlePostgres({ client, schema });
  // Replicas starting together must not run the migrations twice at once.
  const lock = await client.reserve();
  try {
    await lock`SELECT pg_advisory_lock(7267245001)`;
    await migratePostgres(db, { migrationsFolder });
  } finally {
    await lock`SELECT pg_advisory_unlock(7267245001)`;
    lock.release();
  }
  let listener: PgListener | undefined;
  const listenerOf = () => (listener ??= createPgListener(url, onBackgroundError));
  let closed: Promise<void> | undefined;
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    query: (text, params) => client.unsafe<RawRow[]>(text, params as never[], { prepare: true }),
    notify: async (channel, payload) => {
      await db.execute(sql`SELECT pg_notify(${channel}, ${payload})`);
    },
    listen: (channel, onMessage) => listenerOf().listen(channel, onMessage),
    onListenRestored: (onRestored) => listenerOf().onRestored(onRestored),
    otherCoordinators: () => listenerOf().countOtherListeners(),
    close: () => (closed ??= Promise.all([client.end({ timeout: 5 }), listener?.close()]).then(() => {})),
  };
}
