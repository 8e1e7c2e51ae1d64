import { join } from 'node:path';
import { createHttp, startCoordinator, type DatabaseKind, type RunningCoordinator } from '@taskproc/test';
import { createBenchDatabase } from '../bench-database.ts';
import { createNoopProvider } from './bench-providers.ts';
import { copyTasksOnPglite, copyTasksOnPostgres } from './copy-tasks.ts';

/** A coordinator process on a fresh database, with the bench's tokens and providers in place. */
export interface BenchCoordinator {
  readonly kind: DatabaseKind;
  /** Base URL of the running process (changes when it is restarted). */
  readonly url: string;
  /** The coordinator's pid, for RSS and CPU from /proc (changes when it is restarted). */
  readonly pid: number;
  readonly appToken: string;
  readonly providerToken: string;
  /**
   * Inserts `count` copies of task `taskId` straight into the database. On PGlite, which one
   * process at a time may open, the coordinator is stopped around it and started again.
   */
  copyTasks(taskId: number, count: number): Promise<void>;
  /** Stops the coordinator and drops its database. */
  stop(): Promise<void>;
}

// The coordinator runs on its defaults: the figures are what a user gets out of the box.
const coordinatorEnv = { LOG_LEVEL: 'warn' };

/**
 * Starts the real coordinator (server/src/main.ts) on a fresh PGlite directory or PostgreSQL
 * database and registers a no-op provider for each of `taskTypes`, so that tasks can be queued
 * before any provider process polls.
 */
export async function startBenchCoordinator(kind: DatabaseKind, taskTypes: readonly string[]): Promise<BenchCoordinator> {
  const db = await createBenchDatabase(kind);
  let running: RunningCoordinator | undefined;
  const stop = async () => {
    await running?.stop();
    await db.destroy();
  };
  try {
    running = await startCoordinator(db, coordinatorEnv);
    const { appToken, providerToken } = await prepare(running, taskTypes);
    return {
      kind,
      get url() {
        return running!.url;
      },
      get pid() {
        return running!.process.child.pid!;
      },
      appToken,
      providerToken,
      async copyTasks(taskId, count) {
        if (db.databaseUrl) return copyTasksOnPostgres(db.databaseUrl, taskId, count);
        await running!.stop();
        running = undefined;
        await copyTasksOnPglite(join(db.dataDir, 'pglite'), taskId, count);
        running = await startCoordinator(db, coordinatorEnv);
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
