import { randomUUID } from 'node:crypto';
import type { Db } from '../db/create-db.ts';
import { createWorkWaiters, type WorkWaiters } from './work-waiters.ts';

/** A task's status or progress changed. */
export interface TaskChange {
  taskId: number;
  appId: string;
}

/**
 * Wake-ups, in this process and across coordinator processes. Scheduling wakes parked claims;
 * task changes wake waits on a task and event streams. With PostgreSQL every announcement is
 * also sent with pg_notify, so a replica's parked requests hear about work scheduled elsewhere.
 */
export interface Signals {
  /** After commit: `count` tasks of `type` became claimable. Wakes at most `count` parked claims. */
  workAvailable(type: string, count: number): void;
  readonly work: WorkWaiters;
  /** After commit: a task changed. */
  taskChanged(change: TaskChange): void;
  onTaskChanged(listener: (change: TaskChange) => void): () => void;
  /** Starts listening for other replicas (PostgreSQL). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const workChannel = 'taskproc_work';
const taskChannel = 'taskproc_task';

export function createSignals(db: Db, onError: (err: unknown) => void): Signals {
  // Our own notifications come back over LISTEN; the origin id lets us skip them.
  const origin = randomUUID().slice(0, 8);
  const work = createWorkWaiters();
  const taskListeners = new Set<(change: TaskChange) => void>();
  const unlisteners: Array<() => Promise<void>> = [];

  const emitTaskChange = (change: TaskChange) => {
    for (const listener of taskListeners) listener(change);
  };
  const send = (channel: string, payload: string) => {
    if (db.kind !== 'postgres') return;
    db.notify(channel, `${origin}|${payload}`).catch(onError);
  };

  return {
    work,
    workAvailable(type, count) {
      if (count <= 0) return;
      work.wake(type, count);
      send(workChannel, `${count}|${type}`);
    },
    taskChanged(change) {
      emitTaskChange(change);
      send(taskChannel, `${change.taskId}|${change.appId}`);
    },
    onTaskChanged(listener) {
      taskListeners.add(listener);
      return () => taskListeners.delete(listener);
    },
    async start() {
      if (db.kind !== 'postgres') return;
      unlisteners.push(
        await db.listen(workChannel, (payload) => {
          const [from, count, ...type] = payload.split('|');
          if (from !== origin) work.wake(type.join('|'), Number(count));
        }),
        await db.listen(taskChannel, (payload) => {
          const [from, taskId, ...appId] = payload.split('|');
          if (from !== origin) emitTaskChange({ taskId: Number(taskId), appId: appId.join('|') });
        }),
      );
    },
    async stop() {
      work.wakeAll();
      await Promise.allSettled(unlisteners.splice(0).map((u) => u()));
    },
  };
}
