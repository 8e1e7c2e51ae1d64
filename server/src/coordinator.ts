import { setMaxListeners } from 'node:events';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createPrincipalCache } from './auth/principal-cache.ts';
import { startPeriodicJobs, type PeriodicJob, type PeriodicRunner } from './background/periodic.ts';
import type { Config } from './config.ts';
import type { Db } from './db/create-db.ts';
import { createDatabaseHealth } from './db/database-health.ts';
import type { Deps } from './deps.ts';
import { createLocalFileStore, type FileStore } from './files/file-store.ts';
import type { AppEnv } from './http/env.ts';
import { createParkedPolls } from './limits/parked-polls.ts';
import { createMetrics } from './metrics.ts';
import { createControlStreams } from './work/control-streams.ts';
import { createProviderDirectory, directoryRefreshMs } from './providers/provider-directory.ts';
import { createTaskTypeCache } from './providers/task-type-cache.ts';
import { createQueueCounters } from './tasks/queue-counters.ts';
import { createTaskInserts } from './tasks/task-inserts.ts';
import { createPaceReader } from './stats/type-pace.ts';
import { readMetricDatabase } from './stats/metric-readings.ts';
import { createLeaseBook } from './work/lease-book.ts';
import { createResultReports, type ResultReports } from './work/result-reports.ts';
import { listenForCacheChanges } from './signals/cache-invalidation.ts';
import { createSignals } from './signals/signals.ts';
import { createBackgroundJobs, wakeJobsOnTaskChanges } from './background/jobs.ts';

export interface CoordinatorOptions {
  config: Config;
  db: Db;
  logger: Logger;
  fileStore?: FileStore;
  now?: () => Date;
}

export interface Coordinator {
  app: OpenAPIHono<AppEnv>;
  deps: Deps;
  /** Starts LISTEN and the periodic jobs (lease sweep, webhook deliveries, event pruning). */
  start(): Promise<void>;
  /** Stops background work and wakes parked requests; safe to call twice. Does not close the db. */
  stop(): Promise<void>;
}

/** Completion estimates may be this old; counting the queue costs a scan. */
const queueCountEveryMs = 2_000;
/** Run times and slots behind the estimates on task reads may be this old. */
const paceTtlMs = 5_000;

/** Wires the coordinator from its parts; main.ts and in-process tests both use it. */
export function createCoordinator(options: CoordinatorOptions): Coordinator {
  const { config, db, logger } = options;
  const database = createDatabaseHealth({ probe: () => db.query('SELECT 1'), logger });
  // While the database is away, failures of background work are expected: the health log says
  // it once; only other errors are logged each time.
  const signals = createSignals(db, (err) => {
    if (!database.failed(err)) logger.error({ err }, 'notification failed');
  });
  const stopController = new AbortController();
  // Every parked request and open stream listens for the stop: far more than EventTarget's
  // default of 10 before it warns of a leak.
  setMaxListeners(0, stopController.signal);
  const controlStreams = createControlStreams(signals);
  const deps: Deps = {
    config,
    stopping: stopController.signal,
    db,
    database,
    logger,
    fileStore: options.fileStore ?? createLocalFileStore(`${config.DATA_DIR}/files`),
    now: options.now ?? (() => new Date()),
    signals,
    principals: createPrincipalCache(),
    taskTypes: createTaskTypeCache(),
    providers: createProviderDirectory({ refreshMs: directoryRefreshMs(config.TASKPROC_PROVIDER_LIVENESS_MS) }),
    queue: createQueueCounters({ refreshMs: queueCountEveryMs }),
    pace: createPaceReader({ ttlMs: paceTtlMs, livenessMs: config.TASKPROC_PROVIDER_LIVENESS_MS }),
    metrics: createMetrics({
      idleClaims: () => signals.work.idle(),
      databaseReachable: () => !database.isDown(),
      controlStreams: () => controlStreams.count(),
      readDatabase: () => readMetricDatabase(db, new Date(), config.TASKPROC_PROVIDER_LIVENESS_MS),
    }),
    parkedPolls: createParkedPolls({ max: config.TASKPROC_MAX_PARKED_POLLS_PER_TOKEN }),
    leases: createLeaseBook({ maxEntries: 100_000, maxAgeMs: config.TASKPROC_MAX_LEASE_MS }),
    // Set right below: it needs the finished deps.
    results: undefined as unknown as ResultReports,
    taskInserts: createTaskInserts({ db }),
    controlStreams,
  };
  deps.results = createResultReports(deps);
  const app = createApp(deps);
  // Notifications may have been missed while the database or the LISTEN connection was away:
  // caches other replicas would have cleared are dropped, and every waiter looks again.
  const resync = () => {
    deps.principals.clear();
    deps.taskTypes.clear();
    deps.providers.clear();
    signals.resync();
  };
  const unwatchHealth = database.onChange((up) => (up ? resync() : signals.work.wakeAll()));
  let unwatchListen: (() => void) | undefined;
  let runner: PeriodicRunner | undefined;
  let unwake: (() => void) | undefined;
  let unlistenCaches: (() => Promise<void>) | undefined;
  let stopping: Promise<void> | undefined;
  return {
    app,
    deps,
    async start() {
      unwatchListen = db.onListenRestored(resync);
      await signals.start();
      unlistenCaches = await listenForCacheChanges(db, deps);
      const jobs: PeriodicJob[] = createBackgroundJobs(deps);
      runner = startPeriodicJobs(jobs, logger, (err) => database.failed(err));
      unwake = wakeJobsOnTaskChanges(deps, runner);
    },
    stop() {
      stopping ??= (async () => {
        stopController.abort();
        unwake?.();
        unwatchHealth();
        unwatchListen?.();
        database.stop();
        await runner?.stop();
        await signals.stop();
        await unlistenCaches?.();
      })();
      return stopping;
    },
  };
}
