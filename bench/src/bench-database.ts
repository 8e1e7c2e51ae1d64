import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresAdminUrl, type DatabaseKind, type TestDatabase } from '@taskproc/test';
import postgres from 'postgres';

/**
 * A fresh database for one suite, named `taskproc_bench_<random>` (a PGlite directory
 * `taskproc-bench-*` in the temp dir), so a run's leftovers are told apart from the tests'.
 * Same shape as the test harness's, so its `startCoordinator` takes it.
 */
export async function createBenchDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskproc-bench-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'pglite') return { kind, dataDir, destroy: async () => removeDir() };
  const pg = await createBenchPostgresDatabase();
  return {
    kind,
    dataDir,
    databaseUrl: pg.url,
    destroy: async () => {
      await pg.drop();
      removeDir();
    },
  };
}

/** A fresh, empty PostgreSQL database on the test server; `drop()` removes it and its connections. */
export async function createBenchPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `taskproc_bench_${randomBytes(6).toString('hex')}`;
  const admin = () => postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  const sql = admin();
  try {
    await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = admin();
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end();
      }
    },
  };
}
