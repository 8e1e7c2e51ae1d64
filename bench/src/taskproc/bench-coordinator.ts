import { join } from 'node:path';
import { createHttp, startCoordinator, type DatabaseKind, type RunningCoordinator } from '@taskproc/test';
import { createBenchDatabase } from '../bench-database.ts';
import { createNoopProvider } from './bench-providers.ts';
import { copyTasksOnPglite, copyTasksOnPostgres } from './copy-tasks.ts';
import { readScheduledCounts, type ScheduledCounts } from './metrics.ts';

/** One more coordinator process on the same PostgreSQL database (a replica). */
export interface CoordinatorReplica {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A coordinator process on a fresh database, with the bench's tokens and providers in place. */
export interface BenchCoordinator {
  readonly kind: DatabaseKind;
  /** Base URL of the running process (changes when it is restarted). */
  readonly url: string;
  /** The coordinator's pid, for RSS and CPU from /proc (changes when it is restarted). */
  readonly pid: number;
  /** The admin token (`TASKPROC_ADMIN_TOKEN`), also what `GET /metrics` takes. */
  readonly adminToken: string;
  readonly appToken: string;
  readonly providerToken: string;
  /**
   * Inserts `count` copies of task `taskId` straight into the database. On PGlite, which one
   * process at a time may open, the coordinator is stopped around it and started again.
   */
  copyTasks(taskId: number, count: number): Promise<void>;
  /**
   * `taskproc_tasks_scheduled_total` of this process from `GET /metrics` (counted since it
   * started: a PGlite restart starts it again, so read both ends of a stretch between restarts).
   */
  scheduledCounts(): Promise<ScheduledCounts>;
  /**
   * Starts another coordinator process on the same database (PostgreSQL only): the tokens and
   * providers live in the database, so they work there too. Stopped by `stop()` at the latest.
   */
  startReplica(): Promise<CoordinatorReplica>;
  /** Stops the coordinator (and any replica still running) and drops its database. */
  stop(): Promise<void>;
}

// The coordinator runs on its defaults, compiled, as `npm start` runs it: the figures are what a
// user gets out of the box.
// One exception: the parked run holds 1,000 long-polls of one provider token, ten times the
// default cap per token (TASKPROC_MAX_PARKED_POLLS_PER_TOKEN), which would refuse 900 of them.
const coordinatorEnv = { LOG_LEVEL: 'warn', TASKPROC_MAX_PARKED_POLLS_PER_TOKEN: '0' };
const compiled = { compiled: true };

/**
 * Starts the real coordinator (server/src/main.ts) on a fresh PGlite directory or PostgreSQL
 * database and registers a no-op provider for each of `taskTypes`, so that tasks can be queued
 * before any provider process polls.
 */
export async function startBenchCoordinator(kind: DatabaseKind, taskTypes: readonly string[]): Promise<BenchCoordinator> {
  const db = await createBenchDatabase(kind);
  let running: RunningCoordinator | undefined;
  const replicas = new Set<RunningCoordinator>();
  const stop = async () => {
    await Promise.all([...replicas].map((replica) => replica.stop()));
    replicas.clear();
    await running?.stop();
    await db.destroy();
  };
  try {
    running = await startCoordinator(db, coordinatorEnv, compiled);
    const { appToken, providerToken } = await prepare(running, taskTypes);
    return {
      kind,
      get url() {
        return running!.url;
      },
      get pid() {
        return running!.process.child.pid!;
      },
      get adminToken() {
        return running!.adminToken;
      },
      appToken,
      providerToken,
      async copyTasks(taskId, count) {
        if (db.databaseUrl) return copyTasksOnPostgres(db.databaseUrl, taskId, count);
        await running!.stop();
        running = undefined;
        await copyTasksOnPglite(join(db.dataDir, 'pglite'), taskId, count);
        running = await startCoordinator(db, coordinatorEnv, compiled);
      },
      scheduledCounts: () => readScheduledCounts(running!.url, running!.adminToken),
      async startReplica() {
        if (!db.databaseUrl) throw new Error('replicas need PostgreSQL: only one process may open a PGlite directory');
        const replica = await startCoordinator(db, coordinatorEnv, compiled);
        replicas.add(replica);
        return {
          url: replica.url,
          pid: replica.process.child.pid!,
          async stop() {
            replicas.delete(replica);
            await replica.stop();
          },
        };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function prepare(coordinator: RunningCoordinator, taskTypes: readonly string[]): Promise<{ appToken: string; providerToken: string }> {
  const admin = createHttp(coordinator.url, coordinator.adminToken);
  const token = async (role: 'app' | 'provider') => {
    const res = await admin.post<{ token: string }>('/v1/admin/tokens', { role, appId: 'bench', name: `bench ${role}` });
    if (res.status !== 201) throw new Error(`creating a ${role} token answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.token;
  };
  const appToken = await token('app');
  const providerToken = await token('provider');
  const provider = admin.withToken(providerToken);
  for (const id of taskTypes) {
    const res = await provider.put(`/v1/providers/${id}`, createNoopProvider(id).descriptor);
    if (res.status !== 200 && res.status !== 201) throw new Error(`registering ${id} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return { appToken, providerToken };
}
