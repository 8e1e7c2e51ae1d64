import { asc, desc, gt, lt, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { taskEvents } from '../db/schema.ts';

/** The horizon moved: every event id in (from, to] is committed and readable. */
export interface HorizonAdvance {
  from: number;
  to: number;
  /** Apps and tasks with events in the range, so streams of others need not query. */
  appIds: ReadonlySet<string>;
  taskIds: ReadonlySet<number>;
  /** Whether the range holds task changes, not only partial output (`delta`). */
  changes: boolean;
}

/**
 * The highest event id up to which the event log has no holes that may still fill.
 *
 * Event ids come from a sequence when the event is inserted, but transactions commit in their
 * own order: id 11 may be visible while id 10 is still being committed. A stream that sent 11 and
 * moved its cursor past 10 would never send 10. So streams read only up to this horizon: the
 * last id before the first missing one. A missing id is waited for until it appears, or, after
 * `gapTimeoutMs`, given up on (its transaction rolled back; nothing will ever fill it).
 */
export interface EventHorizon {
  /** Brings the horizon up to date and returns it. */
  current(): Promise<number>;
  /** The horizon as last computed (call `current()` once first). */
  known(): number;
  /** Called after each advance. Watching task changes starts with the first subscriber. */
  subscribe(listener: (advance: HorizonAdvance) => void): () => void;
}

/** How long a missing event id may stay missing before it counts as rolled back, ms. */
const gapTimeoutMs = 5_000;
/** Ids read per refresh query; a refresh repeats until it read fewer. */
const scanLimit = 2_000;

export function createEventHorizon(deps: Pick<Deps, 'db' | 'signals' | 'logger'>, options: { gapTimeoutMs?: number } = {}): EventHorizon {
  const timeoutMs = options.gapTimeoutMs ?? gapTimeoutMs;
  const db = deps.db.db;
  let horizon: number | undefined;
  /** Missing id -> when this process first saw it missing (ms). */
  const gaps = new Map<number, number>();
  const listeners = new Set<(advance: HorizonAdvance) => void>();
  let unwatch: (() => void) | undefined;
  let gapTimer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;

  // At start, ids older than the gap timeout are settled; younger ones are scanned like new ones.
  // The newest settled event, found walking the primary key back over the young ones (ids grow
  // with created_at; see prune-task-events.ts), so no index on created_at is needed.
  const initialHorizon = async (): Promise<number> => {
    const [row] = await db
      .select({ id: taskEvents.id })
      .from(taskEvents)
      .where(lt(taskEvents.createdAt, sql`now() - interval '${sql.raw(String(Math.trunc(timeoutMs)))} milliseconds'`))
      .orderBy(desc(taskEvents.id))
      .limit(1);
    return row?.id ?? 0;
  };

  const scanOnce = async (): Promise<{ full: boolean }> => {
    horizon ??= await initialHorizon();
    const rows = await db
      .select({ id: taskEvents.id, appId: taskEvents.appId, taskId: taskEvents.taskId, kind: taskEvents.kind })
      .from(taskEvents)
      .where(gt(taskEvents.id, horizon))
      .orderBy(asc(taskEvents.id))
      .limit(scanLimit);
    const now = Date.now();
    let next = horizon;
    let blockedSince: number | undefined;
    const appIds = new Set<string>();
    const taskIds = new Set<number>();
    let changes = false;
    for (const row of rows) {
      for (let missing = next + 1; missing < row.id; missing++) {
        const seen = gaps.get(missing) ?? now;
        gaps.set(missing, seen);
        if (now - seen < timeoutMs) {
          blockedSince = seen;
          break;
        }
        next = missing;
      }
      if (blockedSince !== undefined) break;
      appIds.add(row.appId);
      taskIds.add(row.taskId);
      if (row.kind !== 'delta') changes = true;
      next = row.id;
    }
    for (const id of gaps.keys()) if (id <= next) gaps.delete(id);
    if (blockedSince !== undefined) armGapTimer(blockedSince + timeoutMs - now);
    if (next > horizon) {
      const advance = { from: horizon, to: next, appIds, taskIds, changes };
      horizon = next;
      for (const listener of listeners) listener(advance);
    }
    return { full: rows.length === scanLimit && blockedSince === undefined };
  };

  // No task change may come after a rolled-back transaction: look again when the gap times out.
  const armGapTimer = (delayMs: number) => {
    if (gapTimer) return;
    gapTimer = setTimeout(() => {
      gapTimer = undefined;
      void refresh().catch((err: unknown) => deps.logger.error({ err }, 'event horizon refresh failed'));
    }, Math.max(0, delayMs) + 10);
    gapTimer.unref();
  };

  const refresh = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          if ((await scanOnce()).full) again = true;
        } while (again);
        return horizon!;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const onTaskChanged = () => {
    void refresh().catch((err: unknown) => deps.logger.error({ err }, 'event horizon refresh failed'));
  };

  return {
    current: refresh,
    known: () => horizon ?? 0,
    subscribe(listener) {
      listeners.add(listener);
      if (!unwatch) {
        const unwatchChanges = deps.signals.onTaskChanged(onTaskChanged);
        const unwatchResync = deps.signals.onResync(onTaskChanged);
        unwatch = () => {
          unwatchChanges();
          unwatchResync();
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        // Nobody reads: forget the position, so the next stream does not scan everything since.
        unwatch?.();
        unwatch = undefined;
        clearTimeout(gapTimer);
        gapTimer = undefined;
        if (!running) {
          horizon = undefined;
          gaps.clear();
        }
      };
    },
  };
}
