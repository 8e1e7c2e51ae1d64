import type { Db } from '../db/create-db.ts';

/**
 * Whether another coordinator listens on the database: when none does, the NOTIFYs meant for
 * replicas reach nobody, and a lone coordinator (the usual deployment) leaves them out (two
 * statements and two wake-ups per task otherwise).
 *
 * Replicas are the connections named as LISTEN connections in pg_stat_activity, looked at every
 * `everyMs`. A coordinator starting says hello on its own channel once it listens, before it
 * serves a request, so the others hear of it at once rather than at their next look; a look
 * that began before a hello does not undo it. Until the first look, and whenever a look fails,
 * others are assumed to listen.
 */
export interface ReplicaPresence {
  /** False only when the last look found no other coordinator and none said hello since. */
  othersMayListen(): boolean;
  /** Another coordinator said hello. */
  heardHello(): void;
  /** Looks now (also what the timer does). */
  look(): Promise<void>;
  /** Looks once, then every `everyMs` until stop(). */
  start(): Promise<void>;
  stop(): void;
}

export function createReplicaPresence(db: Db, everyMs: number): ReplicaPresence {
  let others = true;
  let hellos = 0;
  let timer: NodeJS.Timeout | undefined;

  const look = async () => {
    const hellosBefore = hellos;
    let found: boolean;
    try {
      found = (await db.otherCoordinators()) > 0;
    } catch {
      found = true;
    }
    if (hellos === hellosBefore) others = found;
  };

  return {
    othersMayListen: () => others,
    heardHello() {
      hellos++;
      others = true;
    },
    look,
    async start() {
      await look();
      timer = setInterval(() => void look(), everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
