import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The PostgreSQL the tests use: this machine's (127.0.0.1:5432, trust auth, database `test`). */
export const postgresAdminUrl = process.env.TASKPROC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function isPostgresReachable(): Promise<boolean> {
  const sql = postgres(postgresAdminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A fresh, empty database for one test file; `drop()` removes it (and its connections). */
export async function createFreshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `taskproc_test_${randomBytes(6).toString('hex')}`;
  const sql = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  await sql.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
