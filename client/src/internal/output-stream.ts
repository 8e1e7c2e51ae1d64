import { TaskprocError, type Task } from '@taskproc/spec';
import type { OutputStreamPart, TaskStreamEvent } from '../client-options.ts';
import { outcomeOf } from './wait-for-task.ts';

/**
 * Turns one task's events into what a reader of its answer wants: the text as it comes, a
 * `restart` when an attempt's partial output became void (the task went back to the queue and
 * another attempt starts over), progress, and at the end the validated output. A failed or
 * cancelled task throws TaskFailedError or TaskCancelledError, as `run()` does.
 */
export async function* outputStreamOf(events: AsyncIterable<TaskStreamEvent>, taskId: number): AsyncGenerator<OutputStreamPart> {
  let attempt = 0;
  let streamed = false;
  for await (const event of events) {
    if (event.kind === 'reset') continue; // a task's own stream starts at its first retained event
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
  throw new TaskprocError(`The event stream of task ${taskId} ended before the task did`);
}
