import { randomUUID } from 'node:crypto';
import type { Db } from '../db/create-db.ts';
import type { LeaseEnded } from '@taskproc/spec';
import type { TaskRow } from '../tasks/task-json.ts';
import { createNotifier, decodeLeaseEnded, helloChannel, leaseChannel, taskChannel, workChannel } from './notifier.ts';
import { createReplicaPresence, type ReplicaPresence } from './replica-presence.ts';
import { createWorkWaiters, type WorkWaiters } from './work-waiters.ts';

/** A task's status or progress changed. */
export interface TaskChange {
  taskId: number;
  appId: string;
  /** The change wrote a webhook outbox row (here: other replicas never say so, each delivers its own). */
  outbox?: boolean;
  /** Only partial output was added (a `delta` event): the task's state is as it was. */
  delta?: boolean;
  /**
   * The task as the change committed it, when the changer has it at hand: a wait on the task
   * answers with it instead of reading the task again. Never set by a deletion; never sent to
   * other replicas (they read).
   */
  row?: TaskRow;
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
  /** After commit: tasks changed (taskChanged for each). */
  tasksChanged(changes: readonly TaskChange[]): void;
  /** After commit: tells only other replicas that `count` tasks of `type` were queued (the caller woke its own waiters). */
  announceWork(type: string, count: number): void;
  onTaskChanged(listener: (change: TaskChange) => void): () => void;
  /** After commit: leases ended; the control streams of their providers tell them (here and on other replicas). */
  leasesEnded(notices: readonly LeaseEnded[]): void;
  onLeaseEnded(listener: (notice: LeaseEnded) => void): () => void;
  /**
   * Notifications may have been lost (the LISTEN connection dropped, the database was away):
   * wakes every parked claim and tells every waiter on task changes to look again, and says
   * hello again (other replicas may have stopped notifying while this one was not listening).
   */
  resync(): void;
  onResync(listener: () => void): () => void;
  /** Whether other coordinators listen on the database: NOTIFYs are sent only then. */
  readonly presence: ReplicaPresence;
  /** Starts listening for other replicas, looks for them and says hello to them (PostgreSQL). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSignals(db: Db, onError: (err: unknown) => void): Signals {
  // Our own notifications come back over LISTEN; the origin id lets us skip them.
  const origin = randomUUID().slice(0, 8);
  const work = createWorkWaiters();
  const taskListeners = new Set<(change: TaskChange) => void>();
  const resyncListeners = new Set<() => void>();
  const leaseListeners = new Set<(notice: LeaseEnded) => void>();
  const emitLeaseEnded = (notice: LeaseEnded) => {
    for (const listener of leaseListeners) listener(notice);
  };
  const unlisteners: Array<() => Promise<void>> = [];

  const emitTaskChange = (change: TaskChange) => {
    for (const listener of taskListeners) listener(change);
  };
  // Looked for every 5 s: a replica that went away costs 5 s of NOTIFYs nobody hears, and an
  // idle coordinator wakes up for it rarely (each look is a query). A new one says hello.
  const presence = createReplicaPresence(db, 5_000);
  const sayHello = () => {
    if (db.kind === 'postgres') db.notify(helloChannel, origin).catch(onError);
  };
  const notify = createNotifier(db, origin, presence.othersMayListen, onError);
  const taskChanged = (change: TaskChange) => {
    emitTaskChange(change);
    notify.task(change.taskId, change.appId, change.delta);
  };

  return {
    work,
    presence,
    workAvailable(type, count) {
      if (count <= 0) return;
      work.wake(type, count);
      notify.work(type, count);
    },
    announceWork: (type, count) => notify.work(type, count),
    taskChanged,
    tasksChanged(changes) {
      for (const change of changes) taskChanged(change);
    },
    onTaskChanged(listener) {
      taskListeners.add(listener);
      return () => taskListeners.delete(listener);
    },
    leasesEnded(notices) {
      for (const notice of notices) {
        emitLeaseEnded(notice);
        notify.leaseEnded(notice);
      }
    },
    onLeaseEnded(listener) {
      leaseListeners.add(listener);
      return () => leaseListeners.delete(listener);
    },
    resync() {
      sayHello();
      work.wakeAll();
      for (const listener of resyncListeners) listener();
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async start() {
      if (db.kind !== 'postgres') return;
      unlisteners.push(
        await db.listen(workChannel, (payload) => {
          const [from, count, ...type] = payload.split('|');
          if (from !== origin) work.wake(type.join('|'), Number(count));
        }),
        // `origin|id:app,id:app,...`: app ids hold neither ':' nor ',' (spec AppId).
        await db.listen(taskChannel, (payload) => {
          const [from, list = ''] = payload.split('|');
          if (from === origin) return;
          for (const item of list.split(',')) {
            const [taskId, appId, flag] = item.split(':');
            if (taskId && appId) emitTaskChange({ taskId: Number(taskId), appId, ...(flag === 'd' ? { delta: true } : {}) });
          }
        }),
        await db.listen(leaseChannel, (payload) => {
          const at = payload.indexOf('|');
          if (payload.slice(0, at) === origin) return;
          for (const item of payload.slice(at + 1).split(';')) {
            const notice = decodeLeaseEnded(item);
            if (notice) emitLeaseEnded(notice);
          }
        }),
        await db.listen(helloChannel, (from) => {
          if (from !== origin) presence.heardHello();
        }),
      );
      await presence.start();
      // Before this coordinator serves anything: the others notify from now on.
      await db.notify(helloChannel, origin);
    },
    async stop() {
      presence.stop();
      work.wakeAll();
      await Promise.allSettled(unlisteners.splice(0).map((u) => u()));
    },
  };
}
