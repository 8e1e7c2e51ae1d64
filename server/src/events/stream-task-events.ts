import { finalEventKinds, streamEventNames, streamRetryMs, type StreamReset, type TaskEvent } from '@taskproc/spec';
import type { Deps } from '../deps.ts';
import type { EventHorizon } from './event-horizon.ts';
import { eventExists, mayMatch, readTaskEvents, type TaskEventFilter } from './read-task-events.ts';

/** Where a stream writes; each call writes one whole SSE message, so messages never interleave. */
export interface EventSink {
  writeMessage(message: { event: string; data: string; id?: string }): Promise<void>;
  /** Raw SSE lines (the `retry:` field, comments). */
  writeRaw(text: string): Promise<void>;
}

export interface StreamTaskEventsOptions {
  filter: TaskEventFilter;
  /** Last-Event-ID: replay every retained event after it first. Absent: only new events. */
  resumeAfter?: number;
  heartbeatMs: number;
  /** The client went away. */
  signal: AbortSignal;
  /** One task's stream: it ends after the task's final event (spec finalEventKinds). */
  endAfterFinal?: boolean;
  sink: EventSink;
}

/** Events read per query while catching up. */
const pageSize = 200;

/**
 * Feeds one event stream until the client goes away: first `retry:` and the resume point's
 * `id:`, then (when resuming) a `reset` if the resume point was pruned and the events after it,
 * then live events.
 *
 * Every event comes from the durable log, read in id order up to the horizon (see
 * event-horizon.ts), from a cursor that only moves forward: a notice only says "look again", so
 * nothing is built from memory, nothing is sent twice and, across a reconnect with
 * Last-Event-ID, nothing is skipped.
 */
export async function streamTaskEvents(
  deps: Pick<Deps, 'db'>,
  horizon: EventHorizon,
  options: StreamTaskEventsOptions,
): Promise<void> {
  const { filter, sink, signal } = options;
  let dirty = true;
  let wake: (() => void) | undefined;
  // Subscribe BEFORE fixing the cursor, so an event committed in between is still announced.
  const unsubscribe = horizon.subscribe((advance) => {
    if (!mayMatch(filter, advance)) return;
    dirty = true;
    wake?.();
  });
  const heartbeat = setInterval(() => void sink.writeRaw(': heartbeat\n\n'), options.heartbeatMs);
  try {
    const start = await horizon.current();
    const resumeAfter = options.resumeAfter;
    const pruned = resumeAfter !== undefined && resumeAfter > 0 && !(await eventExists(deps.db.db, resumeAfter));
    // A resume point we never wrote (ahead of the log, e.g. from another installation) restarts at now.
    let cursor = resumeAfter === undefined ? start : pruned ? Math.min(resumeAfter, start) : resumeAfter;
    // The first bytes: once a client sees them, every later change reaches it. They carry the
    // resume point (an id-only message sets the client's Last-Event-ID and dispatches nothing),
    // so a client that reconnects before the first event resumes here instead of at a later now.
    await sink.writeRaw(`retry: ${streamRetryMs}\nid: ${cursor}\n\n`);
    if (pruned) {
      const reset: StreamReset = {
        reason: 'events_pruned',
        lastEventId: resumeAfter,
        detail: 'events after this id may have been pruned; re-read the tasks you follow (GET /v1/tasks)',
      };
      await sink.writeMessage({ event: streamEventNames.reset, data: JSON.stringify(reset) });
    }
    while (!signal.aborted) {
      if (!dirty) {
        await until(signal, (resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      dirty = false;
      for (;;) {
        const events = await readTaskEvents(deps.db.db, filter, { after: cursor, upTo: horizon.known(), limit: pageSize });
        for (const event of events) {
          if (signal.aborted) return;
          await sink.writeMessage(messageOf(event));
          cursor = event.id;
          if (options.endAfterFinal && finalEventKinds.has(event.kind)) return;
        }
        if (events.length < pageSize) break;
      }
    }
  } finally {
    clearInterval(heartbeat);
    unsubscribe();
  }
}

function messageOf(event: TaskEvent): { event: string; data: string; id: string } {
  return { id: String(event.id), event: event.kind, data: JSON.stringify(event) };
}

/** Resolves when `arm`'s resolver is called or `signal` aborts. */
function until(signal: AbortSignal, arm: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    arm(done);
  });
}
