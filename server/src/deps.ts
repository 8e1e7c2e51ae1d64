import type { Logger } from 'pino';
import type { PrincipalCache } from './auth/principal-cache.ts';
import type { Config } from './config.ts';
import type { Db } from './db/create-db.ts';
import type { FileStore } from './files/file-store.ts';
import type { TaskTypeCache } from './providers/task-type-cache.ts';
import type { Signals } from './signals/signals.ts';

/** Everything a route or service needs, built once by createCoordinator and passed down. */
export interface Deps {
  config: Config;
  db: Db;
  logger: Logger;
  fileStore: FileStore;
  /** Injected so lease expiry can be tested without waiting. */
  now: () => Date;
  /** In-process and cross-process wake-ups: new work for parked claims, task changes for waiters. */
  signals: Signals;
  /** Token lookups, kept for seconds; cleared on revocation here and over NOTIFY on replicas. */
  principals: PrincipalCache;
  /** The task type catalogue; cleared when a registration changes a custom type. */
  taskTypes: TaskTypeCache;
}
