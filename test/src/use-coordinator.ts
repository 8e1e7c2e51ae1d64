import { afterAll, beforeAll } from 'vitest';
import type { DatabaseKind } from './databases.ts';
import { createHttp, type Http } from './http.ts';
import { createTestDatabase, startCoordinator, type RunningCoordinator, type TestDatabase } from './start-coordinator.ts';

/**
 * A coordinator process on a fresh database, with an admin client. The fields are filled in by
 * the `beforeAll` that `useCoordinator` registers, so they are only valid inside tests and hooks,
 * never while the describe block is being collected.
 */
export interface CoordinatorFixture {
  db: TestDatabase;
  coordinator: RunningCoordinator;
  /** Acts with the coordinator's admin token. */
  admin: Http;
}

/**
 * Registers the setup every integration suite shares: `beforeAll` creates a fresh database of
 * `kind` and starts the real coordinator on it (with `env`), `afterAll` stops it and removes the
 * database. Call it at the top of a describe block: a `beforeAll` registered after it runs after
 * the coordinator is up, and an `afterAll` registered after it runs before the coordinator stops
 * (vitest runs after-hooks in reverse order), so both can use the fixture.
 */
export function useCoordinator(kind: DatabaseKind, env: Record<string, string> = {}): CoordinatorFixture {
  // Filled in below before any test runs; the casts only spare every test a non-null check.
  const fixture = {} as CoordinatorFixture;
  beforeAll(async () => {
    fixture.db = await createTestDatabase(kind);
    fixture.coordinator = await startCoordinator(fixture.db, env);
    fixture.admin = createHttp(fixture.coordinator.url, fixture.coordinator.adminToken);
  });
  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    await fixture.coordinator?.stop();
    await fixture.db?.destroy();
  });
  return fixture;
}
