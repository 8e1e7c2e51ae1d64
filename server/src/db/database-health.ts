import type { Logger } from 'pino';
import { isDatabaseUnavailable } from './database-errors.ts';

/**
 * Whether the database is reachable, as learned from failing operations. The first failure that
 * says "unreachable" marks it down (logged once, not per request) and starts a probe; the first
 * probe that succeeds marks it up again. Listeners hear both edges: parked claims are answered
 * when it goes down, and everything that waits on notifications looks again when it is back.
 */
export interface DatabaseHealth {
  /** Reports a failed operation; true when the error means the database is unreachable. */
  failed(err: unknown): boolean;
  isDown(): boolean;
  onChange(listener: (up: boolean) => void): () => void;
  /** Stops probing. */
  stop(): void;
}

export interface DatabaseHealthOptions {
  /** A cheap statement that fails while the database is unreachable. */
  probe: () => Promise<unknown>;
  logger: Logger;
  probeEveryMs?: number;
}

export function createDatabaseHealth(options: DatabaseHealthOptions): DatabaseHealth {
  const probeEveryMs = options.probeEveryMs ?? 250;
  const listeners = new Set<(up: boolean) => void>();
  let downSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const emit = (up: boolean) => {
    for (const listener of listeners) listener(up);
  };
  const probeSoon = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      options.probe().then(
        () => {
          const downMs = Date.now() - (downSince ?? Date.now());
          downSince = undefined;
          options.logger.warn({ downMs }, 'database reachable again');
          emit(true);
        },
        probeSoon,
      );
    }, probeEveryMs);
    timer.unref();
  };

  return {
    failed(err) {
      if (!isDatabaseUnavailable(err)) return false;
      if (downSince === undefined && !stopped) {
        downSince = Date.now();
        options.logger.warn({ err }, 'database unreachable; answering 503 database_unavailable until it is back');
        emit(false);
        probeSoon();
      }
      return true;
    },
    isDown: () => downSince !== undefined,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
