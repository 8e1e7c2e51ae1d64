import type { BuiltInTaskIO, BuiltInTaskTypeId } from '@taskproc/spec';
import type { OpenAiDeps, TaskContext } from '../task-context.ts';

/**
 * One task type's work: input slots in, output slots out. The coordinator validated the input
 * against the type's shape before the task was handed out, so the slot types can be trusted.
 */
export type TaskHandler<IO extends { input: object; output: object }> = (
  input: IO['input'],
  ctx: TaskContext,
  deps: OpenAiDeps,
) => Promise<IO['output']>;

/** The handler of a built-in task type. */
export type BuiltInTaskHandler<Id extends BuiltInTaskTypeId> = TaskHandler<BuiltInTaskIO[Id]>;
