import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Task } from '@taskproc/client';
import type { Connection } from '../../api/connection.ts';
import { useEvery } from '../../components/use-load.ts';
import { afterChange, appendDelta, isTerminal, newer } from './live-task-state.ts';

export interface LiveTask {
  task: Task | undefined;
  error: unknown;
  /** Text streamed so far into Text output slots, by slot (the current attempt's). */
  streamed: Record<string, string>;
  /** Replaces the task with one an action answered (cancel). */
  replace: (task: Task) => void;
}

/**
 * A task followed live: its own event stream (client.taskEvents) brings every change (running,
 * back in the queue, progress, the end) and partial output the moment they happen. A status
 * change is also re-read at once, and the task every two seconds while it waits or runs,
 * because its queue position and completion estimate are computed at each read and no event
 * says when they move.
 */
export function useLiveTask(connection: Connection, id: number): LiveTask {
  const [task, setTask] = useState<Task | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [streamed, setStreamed] = useState<Record<string, string>>({});
  const stop = useRef<AbortController | null>(null);

  const refresh = useCallback(() => {
    const signal = stop.current?.signal;
    connection.client.get(id, { signal }).then(
      (fresh) => setTask((old) => newer(old, fresh)),
      (err: unknown) => {
        if (!signal?.aborted) setError(err);
      },
    );
  }, [connection, id]);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    stop.current = controller;
    setTask(undefined);
    setStreamed({});
    setError(undefined);
    void (async () => {
      try {
        const first = await connection.client.get(id, { signal });
        setTask(first);
        // A finished task has its output; its stream may be pruned and would then never end.
        if (isTerminal(first)) return;
        let attempt = 0;
        for await (const event of connection.client.taskEvents(id, { signal })) {
          if (event.kind === 'reset') refresh();
          else if (event.kind === 'delta') {
            // Output of an earlier attempt is void once a later one writes.
            const restarted = event.attempt !== attempt;
            attempt = event.attempt;
            setStreamed((old) => appendDelta(restarted ? {} : old, event.delta));
          } else if (event.kind === 'deleted') {
            throw new Error(`Task ${id} was deleted before it ended`);
          } else {
            setTask((old) => afterChange(old, event));
            if (isTerminal(event.task)) return;
            if (event.kind === 'requeued') setStreamed({});
            if (event.kind === 'running' || event.kind === 'requeued') refresh();
          }
        }
        // The stream ended without a final event: the task ended before it connected.
        refresh();
      } catch (err) {
        if (!signal.aborted) setError(err);
      }
    })();
    return () => controller.abort();
  }, [connection, id, refresh]);

  useEvery(2_000, refresh, task !== undefined && !isTerminal(task));

  return { task, error, streamed, replace: (next) => setTask((old) => newer(old, next)) };
}
