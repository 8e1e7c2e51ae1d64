import type { TestProject } from 'vitest/node';
import { isPostgresReachable, postgresAdminUrl } from './postgres-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}

/**
 * Every database suite runs on PGlite and on PostgreSQL. CI (CI=true or TASKPROC_REQUIRE_POSTGRES=1)
 * fails at once when PostgreSQL is unreachable; a developer's plain `npm test` runs the PGlite half
 * and says loudly that the PostgreSQL half did not run.
 */
export default async function setup(project: TestProject): Promise<(() => void) | void> {
  const available = await isPostgresReachable();
  const required = process.env.CI === 'true' || process.env.TASKPROC_REQUIRE_POSTGRES === '1';
  if (!available && required) {
    throw new Error(`PostgreSQL is required (CI) but unreachable at ${postgresAdminUrl}`);
  }
  project.provide('postgresAvailable', available);
  if (!available) {
    const bar = '!'.repeat(78);
    const warning = `\n${bar}\n!! PostgreSQL unreachable at ${postgresAdminUrl}:\n!! the PostgreSQL half of every database suite is SKIPPED. Only PGlite was tested.\n${bar}\n`;
    console.warn(warning);
    // Said again at the end, where it cannot scroll away behind the results.
    return () => console.warn(warning);
  }
}
