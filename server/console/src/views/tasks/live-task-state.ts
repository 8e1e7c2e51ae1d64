import type { Task, TaskStreamEvent } from '@taskproc/client';
import { terminalStatuses } from '@taskproc/spec';

export const isTerminal = (task: Task | undefined) => task !== undefined && terminalStatuses.has(task.status);

/**
 * The newer of two states of a task. A read (GET) and the event stream race: a read sent before
 * an event may answer after it, and must not put the older state back on screen.
 */
export function newer(old: Task | undefined, fresh: Task): Task {
  return old && Date.parse(fresh.lastUpdated) < Date.parse(old.lastUpdated) ? old : fresh;
}

/**
 * The task after one of its change events. An event's snapshot has the stored state but not what
 * a read computes (queue position, the live completion estimate). While the status stays (a
 * progress step) those are kept from the last read; a new status makes them void, and the
 * caller reads the task again for the new ones.
 */
export function afterChange(old: Task | undefined, event: Exclude<TaskStreamEvent, { kind: 'reset' | 'delta' }>): Task {
  const keep = old?.status === event.task.status ? { queuePosition: old.queuePosition, completionExpectedAt: old.completionExpectedAt } : {};
  return newer(old, { ...event.task, ...keep });
}

/** Text streamed so far into Text output slots, by slot, with one more delta appended. */
export function appendDelta(streamed: Record<string, string>, delta: Record<string, string>): Record<string, string> {
  const next = { ...streamed };
  for (const [slot, text] of Object.entries(delta)) next[slot] = (next[slot] ?? '') + text;
  return next;
}
