import type { Db } from '../db/create-db.ts';

/** What CLI commands get from the entry point, so they never read the environment themselves. */
export interface CliContext {
  /** Opens the coordinator's database (and applies migrations); the caller closes it. */
  openDb(): Promise<Db>;
  /** Writes a line to stdout: results a person or a script reads. */
  print(line: string): void;
  /** Writes a line to stderr: errors and usage after a mistake. */
  printError(line: string): void;
  now(): Date;
}

/** Runs `use` with an open database and always closes it, so the process can exit cleanly. */
export async function withDb<T>(context: CliContext, use: (db: Db) => Promise<T>): Promise<T> {
  const db = await context.openDb();
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
