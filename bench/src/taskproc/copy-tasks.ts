import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

/**
 * Inserts `count` copies of task `taskId`, in one statement: filling the 100,000-task backlog
 * through the API would take minutes and measure scheduling, which the drains already do.
 * The columns are read from the catalog, so this follows the table as it changes; only the
 * table name `tasks`, its serial `id` and its unique `idempotency_key` are assumed. Statistics are refreshed afterwards, as
 * autovacuum would have on a queue that grew over time.
 */
function copySql(columns: string[], taskId: number, count: number): string[] {
  const list = columns.map((c) => `"${c}"`).join(', ');
  // The one unique column besides the id: each copy gets a key of its own.
  const values = columns.map((c) => (c === 'idempotency_key' ? `"${c}" || '-' || g` : `"${c}"`)).join(', ');
  return [
    `INSERT INTO tasks (${list}) SELECT ${values} FROM tasks CROSS JOIN generate_series(1, ${count}) AS g WHERE tasks.id = ${taskId}`,
    'ANALYZE tasks',
  ];
}

const columnsSql =
  "SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks' AND table_schema = current_schema() AND column_name <> 'id' ORDER BY ordinal_position";

/** Copies on a PostgreSQL database the coordinator is running on. */
export async function copyTasksOnPostgres(databaseUrl: string, taskId: number, count: number): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const columns = (await sql.unsafe<{ column_name: string }[]>(columnsSql)).map((r) => r.column_name);
    for (const statement of copySql(columns, taskId, count)) await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

/**
 * Copies on a PGlite directory. Only one process may open it: the coordinator must be stopped.
 * `dir` is the coordinator's `${DATA_DIR}/pglite` (see server/src/db/create-db.ts).
 */
export async function copyTasksOnPglite(dir: string, taskId: number, count: number): Promise<void> {
  const db = await PGlite.create(dir);
  try {
    const columns = (await db.query<{ column_name: string }>(columnsSql)).rows.map((r) => r.column_name);
    for (const statement of copySql(columns, taskId, count)) await db.exec(statement);
  } finally {
    await db.close();
  }
}
