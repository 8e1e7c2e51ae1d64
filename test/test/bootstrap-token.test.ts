import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootstrapAdminToken, createDb, type Db } from '@taskproc/server';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../src/index.ts';

// Replicas started together (docker compose, a deployment rollout) each bootstrap the admin
// token at start: on one database that must store one token and stop none of them.

describeEachDatabase('admin token bootstrap', (kind) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = await createDb({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
  });
  afterAll(async () => {
    await db?.close();
    await database?.destroy();
  });

  it('stores a seeded token once when several starts race', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => bootstrapAdminToken(db.db, 'seeded-secret-0123456789')));
    expect(results).toEqual(Array(8).fill(null));
    expect(await db.query("SELECT count(*)::int AS n FROM api_tokens WHERE name = 'TASKPROC_ADMIN_TOKEN'")).toEqual([{ n: 1 }]);
  });

  it('makes and prints a first token once when several starts race on an empty database', async () => {
    await db.query('DELETE FROM api_tokens');
    const results = await Promise.all(Array.from({ length: 8 }, () => bootstrapAdminToken(db.db, undefined)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await db.query('SELECT count(*)::int AS n FROM api_tokens')).toEqual([{ n: 1 }]);
  });
});
