import { TaskprocError, type Task } from '@taskproc/spec';

// The error model shared with the provider SDK (TaskprocError, ApiError and its subclasses,
// ConnectionError, TimeoutError, AbortError) lives in @taskproc/spec; these are the client's own.

/** `run()`, `stream()` or `streamTask()`: the task ended as failed. */
export class TaskFailedError extends TaskprocError {
  override readonly name: string = 'TaskFailedError';
  readonly task: Task;
  /** Why it failed, in English, for logs. */
  readonly errorMessage: string | null;
  /** Why it failed, in words fit to show the user (null when the provider gave none). */
  readonly userFacingErrorMessage: string | null;

  constructor(task: Task) {
    super(`Task ${task.id} (${task.type}) failed: ${task.errorMessage ?? 'no reason given'}`);
    this.task = task;
    this.errorMessage = task.errorMessage;
    this.userFacingErrorMessage = task.userFacingErrorMessage;
  }
}

/** `run()`, `stream()` or `streamTask()`: the task was cancelled (by this app, another client, or an admin). */
export class TaskCancelledError extends TaskprocError {
  override readonly name: string = 'TaskCancelledError';
  readonly task: Task;

  constructor(task: Task) {
    super(`Task ${task.id} (${task.type}) was cancelled`);
    this.task = task;
  }
}

/** A webhook request is not provably from the coordinator, or is too old: answer it 4xx. */
export class WebhookVerificationError extends TaskprocError {
  override readonly name: string = 'WebhookVerificationError';
}
