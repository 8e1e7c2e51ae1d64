import { TaskprocError, terminalStatuses, type Task } from '@taskproc/spec';
import type { OutputStreamPart, TaskStreamEvent } from '../client-options.ts';
import { outcomeOf } from './wait-for-task.ts';

/**
 * Turns one task's events into what a reader of its answer wants: the text as it comes, a
 * `restart` when an attempt's partial output became void (the task went back to the queue and
 * another attempt starts over), progress, and at the end the validated output. A failed or
 * cancelled task throws TaskFailedError or TaskCancelledError, as `run()` does.
 *
 * A stream can end without the final event: the coordinator answers 204 to a resume after it,
 * and to a task that ended but whose final event was pruned from the log. Then `readTask` says
 * how it ended, and `done` carries the task as read (with the last event id seen, if any).
 */
export async function* outputStreamOf(
  events: AsyncIterable<TaskStreamEvent>,
  taskId: number,
  readTask: () => Promise<Task>,
  lastEventId = 0,
): AsyncGenerator<OutputStreamPart> {
  let attempt = 0;
  let streamed = false;
  let lastSeen = lastEventId;
  for await (const event of events) {
    if (event.kind === 'reset') continue; // a task's own stream starts at its first retained event
    lastSeen = event.id;
    if (event.kind === 'delta') {
      if (streamed && event.attempt !== attempt) yield { kind: 'restart', attempt: event.attempt, eventId: event.id };
      attempt = event.attempt;
      streamed = true;
      for (const [slot, text] of Object.entries(event.delta)) yield { kind: 'delta', slot, text, attempt, eventId: event.id };
      continue;
    }
    if (event.kind === 'requeued') {
      if (streamed) yield { kind: 'restart', attempt: event.task.attempts + 1, eventId: event.id };
      streamed = false;
      continue;
    }
    if (event.kind === 'progress') {
      yield { kind: 'progress', progress: event.task.progress, eventId: event.id };
      continue;
    }
    if (event.kind === 'deleted') throw new TaskprocError(`Task ${taskId} was deleted before it ended`);
    if (event.kind === 'successful' || event.kind === 'failed' || event.kind === 'cancelled') {
      const task: Task = event.task;
      yield { kind: 'done', task, output: outcomeOf(task), eventId: event.id };
      return;
    }
  }
  const task = await readTask();
  if (!terminalStatuses.has(task.status)) throw new TaskprocError(`The event stream of task ${taskId} ended before the task did`);
  yield { kind: 'done', task, output: outcomeOf(task), eventId: lastSeen };
}
