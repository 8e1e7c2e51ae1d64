import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestDatabase } from './start-coordinator.ts';

/**
 * Runs read-only SQL against a test database, to check invariants the API does not show (the
 * task event log). PGlite allows one process per directory: stop the coordinator first.
 */
export async function queryTestDatabase<T extends Record<string, unknown>>(db: TestDatabase, text: string): Promise<T[]> {
  if (db.kind === 'postgres') {
    const sql = postgres(db.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      return (await sql.unsafe(text)) as unknown as T[];
    } finally {
      await sql.end();
    }
  }
  const client = await PGlite.create(`${db.dataDir}/pglite`);
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.close();
  }
}
