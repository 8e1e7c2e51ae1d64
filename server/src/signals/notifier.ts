import { leaseEndReasons, type LeaseEndReason, type LeaseEnded } from '@taskproc/spec';
import type { Db } from '../db/create-db.ts';

/** The two channels replicas hear each other on (signals.ts parses the payloads). */
export const workChannel = 'taskproc_work';
export const taskChannel = 'taskproc_task';
/** Leases that ended (cancelled, deleted, expired), for the control streams of other replicas. */
export const leaseChannel = 'taskproc_lease';
/** A coordinator started listening (replica-presence.ts). */
export const helloChannel = 'taskproc_hello';

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
 * covers work, and task waits re-read at their deadline. With no other coordinator on the
 * database (`othersMayListen`, replica-presence.ts) nothing is sent.
 */
export interface Notifier {
  /** `count` tasks of `type` were queued. */
  work(type: string, count: number): void;
  /** A task changed; `delta`: only partial output was added (task waits need not look). */
  task(taskId: number, appId: string, delta?: boolean): void;
  /** A lease ended: the provider holding it must stop. */
  leaseEnded(notice: LeaseEnded): void;
}

/** `taskId,leaseId|-,reason,providerId`: provider ids hold neither ',' nor ';' (spec ProviderId). */
export function encodeLeaseEnded(notice: LeaseEnded): string {
  return `${notice.taskId},${notice.leaseId ?? '-'},${notice.reason},${notice.providerId}`;
}

export function decodeLeaseEnded(item: string): LeaseEnded | undefined {
  const [taskId, leaseId, reason, ...provider] = item.split(',');
  if (!taskId || !leaseId || !reason || !(leaseEndReasons as readonly string[]).includes(reason)) return undefined;
  return { taskId: Number(taskId), leaseId: leaseId === '-' ? null : leaseId, reason: reason as LeaseEndReason, providerId: provider.join(',') };
}

export function createNotifier(db: Db, origin: string, othersMayListen: () => boolean, onError: (err: unknown) => void): Notifier {
  const work = new Map<string, number>();
  const tasks: string[] = [];
  const leases: string[] = [];
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
    // `origin|item<sep>item...`, split where a payload would grow too long.
    const pack = (channel: string, items: string[], separator: string) => {
      let list = '';
      for (const item of items.splice(0)) {
        if (list && list.length + item.length + origin.length + 2 > maxPayloadBytes) {
          channels.push(channel);
          payloads.push(`${origin}|${list}`);
          list = '';
        }
        list = list ? `${list}${separator}${item}` : item;
      }
      if (list) {
        channels.push(channel);
        payloads.push(`${origin}|${list}`);
      }
    };
    pack(taskChannel, tasks, ',');
    pack(leaseChannel, leases, ';');
    if (channels.length === 0) return;
    db.query('SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)', [channels, payloads]).catch(onError);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const heard = () => db.kind === 'postgres' && othersMayListen();
  return {
    work(type, count) {
      if (!heard() || count <= 0) return;
      work.set(type, (work.get(type) ?? 0) + count);
      schedule();
    },
    task(taskId, appId, delta) {
      if (!heard()) return;
      // `id:app` or, for partial output, `id:app:d` (app ids hold no ':', spec AppId).
      tasks.push(delta ? `${taskId}:${appId}:d` : `${taskId}:${appId}`);
      schedule();
    },
    leaseEnded(notice) {
      if (!heard()) return;
      leases.push(encodeLeaseEnded(notice));
      schedule();
    },
  };
}
