import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseKind } from './databases.ts';
import { createFreshPostgresDatabase } from './postgres-admin.ts';
import { spawnTsProcess, type SpawnedProcess } from './spawn-process.ts';

export const testAdminToken = 'tp_test_admin_token_0123456789abcdef';

export interface TestDatabase {
  kind: DatabaseKind;
  /** Data directory (PGlite database and file store). */
  dataDir: string;
  /** PostgreSQL URL of the fresh database, when kind is postgres. */
  databaseUrl?: string;
  /** Removes the database and the data directory. */
  destroy(): Promise<void>;
}

/** A fresh database of the given kind: a new PGlite directory or a new PostgreSQL database. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskproc-test-'));
  if (kind === 'pglite') {
    return { kind, dataDir, destroy: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const pg = await createFreshPostgresDatabase();
  return {
    kind,
    dataDir,
    databaseUrl: pg.url,
    destroy: async () => {
      await pg.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningCoordinator {
  url: string;
  adminToken: string;
  process: SpawnedProcess;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
}

/**
 * Suites schedule far more than a person would: the per-user rate limit (Nextcloud's 20 per
 * 120 s by default) is off unless a suite about limits turns it on through `env`.
 */
export const testLimits: Record<string, string> = { TASKPROC_SCHEDULE_RATE_PER_USER: '0' };

/**
 * Starts the real coordinator process (server/src/main.ts) on a free loopback port against `db`.
 * Several coordinators may share one database (replicas) by passing the same TestDatabase;
 * with PGlite only one process may open a data directory at a time.
 */
export async function startCoordinator(
  db: TestDatabase,
  env: Record<string, string> = {},
  options: { compiled?: boolean } = {},
): Promise<RunningCoordinator> {
  // Compiled: server/dist with plain node, as `npm start` runs it (the bench's figures, the consumer test).
  const proc = spawnTsProcess(options.compiled ? 'server/dist/main.js' : 'server/src/main.ts', {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: db.dataDir,
    TASKPROC_ADMIN_TOKEN: testAdminToken,
    LOG_LEVEL: 'warn',
    ...testLimits,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    ...env,
  });
  const match = await proc.waitForLine(/taskproc listening on (http:\/\/\S+)/);
  return {
    url: match[1]!,
    adminToken: testAdminToken,
    process: proc,
    stop: async () => {
      await proc.stop('SIGTERM');
    },
  };
}
