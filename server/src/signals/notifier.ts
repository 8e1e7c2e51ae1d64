import type { Db } from '../db/create-db.ts';

/** The two channels replicas hear each other on (signals.ts parses the payloads). */
export const workChannel = 'taskproc_work';
export const taskChannel = 'taskproc_task';

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes and more. */
const maxPayloadBytes = 7_900;

/**
 * NOTIFY for other replicas, coalesced: what is announced in one turn of the event loop goes out
 * in one statement after it, with the task changes of that turn in as few payloads as fit.
 *
 * Deliberately not inside the statements that make the changes: PostgreSQL serializes the commits
 * of transactions that notify (they take one lock at commit and keep it through the WAL flush),
 * so claims, schedules and results on every replica would commit one after another. A statement
 * that only notifies writes no WAL and keeps that lock for microseconds. Announcements follow
 * the commit, so a crash between the two can lose one: the periodic re-check of parked claims
 * covers work, and task waits re-read at their deadline.
 */
export interface Notifier {
  /** `count` tasks of `type` were queued. */
  work(type: string, count: number): void;
  /** A task changed. */
  task(taskId: number, appId: string): void;
}

export function createNotifier(db: Db, origin: string, onError: (err: unknown) => void): Notifier {
  const work = new Map<string, number>();
  const tasks: string[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const channels: string[] = [];
    const payloads: string[] = [];
    for (const [type, count] of work) {
      channels.push(workChannel);
      payloads.push(`${origin}|${count}|${type}`);
    }
    work.clear();
    // `origin|id:app,id:app,...`, split where a payload would grow too long.
    let list = '';
    for (const item of tasks.splice(0)) {
      if (list && list.length + item.length + origin.length + 2 > maxPayloadBytes) {
        channels.push(taskChannel);
        payloads.push(`${origin}|${list}`);
        list = '';
      }
      list = list ? `${list},${item}` : item;
    }
    if (list) {
      channels.push(taskChannel);
      payloads.push(`${origin}|${list}`);
    }
    if (channels.length === 0) return;
    db.query('SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)', [channels, payloads]).catch(onError);
  };
  const schedule = () => {
    if (scheduled || db.kind !== 'postgres') return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    work(type, count) {
      if (db.kind !== 'postgres' || count <= 0) return;
      work.set(type, (work.get(type) ?? 0) + count);
      schedule();
    },
    task(taskId, appId) {
      if (db.kind !== 'postgres') return;
      tasks.push(`${taskId}:${appId}`);
      schedule();
    },
  };
}
