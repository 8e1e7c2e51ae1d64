import type { Logger } from 'pino';
import type { PrincipalCache } from './auth/principal-cache.ts';
import type { Config } from './config.ts';
import type { Db } from './db/create-db.ts';
import type { DatabaseHealth } from './db/database-health.ts';
import type { FileStore } from './files/file-store.ts';
import type { ParkedPolls } from './limits/parked-polls.ts';
import type { Metrics } from './metrics.ts';
import type { ProviderDirectory } from './providers/provider-directory.ts';
import type { TaskTypeCache } from './providers/task-type-cache.ts';
import type { Signals } from './signals/signals.ts';
import type { QueueCounters } from './tasks/queue-counters.ts';
import type { TaskInserts } from './tasks/task-inserts.ts';
import type { PaceReader } from './stats/type-pace.ts';
import type { ControlStreams } from './work/control-streams.ts';
import type { LeaseBook } from './work/lease-book.ts';
import type { ResultReports } from './work/result-reports.ts';

/** Everything a route or service needs, built once by createCoordinator and passed down. */
export interface Deps {
  config: Config;
  db: Db;
  /** Down while the database is unreachable (requests then answer 503 database_unavailable). */
  database: DatabaseHealth;
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
  /** Providers and type settings in memory; cleared when they change, here and on replicas. */
  providers: ProviderDirectory;
  /** Queue and running counts for completion estimates, without counting on every schedule. */
  queue: QueueCounters;
  /** Recent run times and live slots per type, for completion estimates shown on task reads. */
  pace: PaceReader;
  metrics: Metrics;
  /** Long-polls parked per token, here and (from the database) on other replicas. */
  parkedPolls: ParkedPolls;
  /** Aborts when the coordinator stops: parked requests answer at once. */
  stopping: AbortSignal;
  /** Leases handed out here and still open: lets result reports skip reading the task. */
  leases: LeaseBook;
  /** Result reports, merged into one statement while one is in flight. */
  results: ResultReports;
  /** Queued tasks, merged into one statement while one is in flight. */
  taskInserts: TaskInserts;
  /** Providers' control streams open here: cancellations and lost leases are pushed on them. */
  controlStreams: ControlStreams;
}
