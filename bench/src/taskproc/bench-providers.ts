import { defineProvider } from '@taskproc/provider-sdk';

/** The task type every figure of ours is measured with: a sequence number in, a clock reading out. */
export const noopTaskType = 'bench:noop';
/** Waits, never claimed: the 100,000 tasks of the depth run. */
export const backlogTaskType = 'bench:backlog';
/** Never scheduled: the type the 1,000 parked long-polls wait on. */
export const parkedTaskType = 'bench:parked';
/** Scheduled and drained at once. */
export const mixedTaskType = 'bench:mixed';

/** The big drain's type (100,000 tasks in the full run). */
export const bigDrainTaskType = 'bench:drain-big';
/** The drain through several coordinator replicas. */
export const replicaDrainTaskType = 'bench:drain-replicas';

/**
 * Each drain has its own type, so tasks a time-capped drain left behind wait (as more "tasks
 * of another type") instead of inflating the next drain.
 */
export function drainTaskType(concurrency: number): string {
  return `bench:drain-c${concurrency}`;
}

const shapes = {
  inputShape: { seq: { name: 'Sequence', description: 'Number of the job in its run', type: 'Number' } },
  outputShape: {
    pickedAt: { name: 'Picked at', description: 'process.hrtime.bigint() when process started, ns', type: 'Text' },
  },
} as const;

/**
 * A no-op provider serving its own task type (provider id = task type id). `onProcess` hears
 * the clock reading taken first thing in `process`; the task's output carries it too.
 */
export function createNoopProvider(id: string, onProcess: (seq: number, taskId: number, at: bigint) => void = () => {}) {
  return defineProvider({
    id,
    name: `Bench no-op (${id})`,
    taskType: id,
    expectedRuntime: 1,
    customTaskType: { id, name: `Bench ${id}`, description: 'Does nothing; for the benchmark', ...shapes },
    async process(input, ctx) {
      const at = process.hrtime.bigint();
      onProcess(input.seq, ctx.taskId, at);
      return { pickedAt: String(at) };
    },
  });
}
