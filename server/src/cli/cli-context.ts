import type { Db } from '../db/create-db.ts';

/** Where progress goes (stderr). A bar redraws in place only on a terminal. */
export interface ProgressStream {
  isTTY: boolean;
  /** Width of the terminal, when known. */
  columns?: number;
  write(text: string): void;
}

/** What CLI commands get from the entry point, so they never read the environment themselves. */
export interface CliContext {
  /** The variables the API commands read; flags win over them. */
  env: { TASKPROC_URL?: string; TASKPROC_TOKEN?: string };
  fetch: typeof fetch;
  /** Opens the coordinator's database (and applies migrations); the caller closes it. Bootstrap only. */
  openDb(): Promise<Db>;
  /** Writes a line to stdout: results a person or a script reads. */
  print(line: string): void;
  /** Writes a line to stderr: errors, notes, usage after a mistake. */
  printError(line: string): void;
  progress: ProgressStream;
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
