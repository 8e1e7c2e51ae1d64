import { describe, inject } from 'vitest';

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * Runs a suite once per database. The PostgreSQL run is skipped only when global setup found
 * PostgreSQL unreachable outside CI, and global setup says so loudly.
 */
export function describeEachDatabase(name: string, body: (kind: DatabaseKind) => void): void {
  describe(`${name} [pglite]`, () => body('pglite'));
  describe.skipIf(!inject('postgresAvailable'))(`${name} [postgres]`, () => body('postgres'));
}
