import { afterAll, beforeAll } from 'vitest';
import {
  bootstrapAdminToken,
  createCoordinator,
  createDb,
  createLogger,
  loadConfig,
  type Coordinator,
  type Db,
} from '@taskproc/server';
import type { DatabaseKind } from './databases.ts';
import { createHttp, type Http } from './http.ts';
import { createTestDatabase, testAdminToken, testLimits, type TestDatabase } from './start-coordinator.ts';

/**
 * The coordinator in the test's own process, on a fresh database: requests go to `app.fetch`
 * (no port), and the test can reach into the database and the coordinator's parts. For logic
 * and errors; what needs real processes (kills, replicas, the SDK's wire) uses startCoordinator.
 */
export interface InProcessFixture {
  database: TestDatabase;
  db: Db;
  coordinator: Coordinator;
  /** Acts with the admin token. */
  admin: Http;
  /** `fetch` that sends to the coordinator's `app.fetch`, for clients of the packages under test. */
  fetch: typeof fetch;
}

/** The base URL in-process requests are addressed to (no socket answers it). */
export const inProcessUrl = 'http://coordinator.in-process';

/**
 * Registers `beforeAll`/`afterAll` that start an in-process coordinator on a fresh database of
 * `kind` with `env` on top of the defaults, and stop it. Fields are valid inside tests and hooks.
 */
export function useInProcessCoordinator(kind: DatabaseKind, env: Record<string, string> = {}): InProcessFixture {
  const fixture = {} as InProcessFixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase(kind);
    const config = loadConfig({
      DATA_DIR: fixture.database.dataDir,
      DATABASE_URL: fixture.database.databaseUrl,
      TASKPROC_ADMIN_TOKEN: testAdminToken,
      TASKPROC_WEBHOOK_ALLOW_PRIVATE: 'true',
      ...testLimits,
      ...env,
    });
    fixture.db = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    await bootstrapAdminToken(fixture.db.db, config.TASKPROC_ADMIN_TOKEN);
    fixture.coordinator = createCoordinator({ config, db: fixture.db, logger: createLogger(process.env.TASKPROC_TEST_VERBOSE ? 'debug' : 'silent') });
    await fixture.coordinator.start();
    const app = fixture.coordinator.app;
    fixture.fetch = (input, init) => Promise.resolve(app.fetch(new Request(input, init)));
    fixture.admin = createHttp(inProcessUrl, testAdminToken, fixture.fetch);
  });
  afterAll(async () => {
    await fixture.coordinator?.stop();
    await fixture.db?.close();
    await fixture.database?.destroy();
  });
  return fixture;
}
