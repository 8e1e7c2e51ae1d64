/**
 * Bench worker: graphile-worker running the no-op task. Pickup mode reports each job's start
 * and end; drain mode reports the first job's start (the bench watches the table for the end).
 * Process edge: reads the environment.
 */
import { run, type Task } from 'graphile-worker';
import { tellBench, workerEnv, type NoopPayload, type WorkerMode } from '../messages.ts';
import { createQuietGraphileLogger, graphileSettings } from '../peers/peer-settings.ts';

const mode = process.env[workerEnv.mode] as WorkerMode;
const concurrency = Number(process.env[workerEnv.concurrency] ?? 1);

let first = true;
const noop: Task = async (payload) => {
  const at = process.hrtime.bigint();
  const { seq } = payload as NoopPayload;
  if (mode === 'drain') {
    if (first) tellBench({ kind: 'first', at });
    first = false;
    return;
  }
  tellBench({ kind: 'pick', seq, at });
  // Sent before the library marks the job complete: the bench pauses before the next job.
  tellBench({ kind: 'done', seq });
};

const drain = graphileSettings.drain(concurrency);

const runner = await run({
  connectionString: process.env.DATABASE_URL!,
  concurrency: mode === 'drain' ? drain.concurrentJobs : graphileSettings.pickup.concurrentJobs,
  maxPoolSize: mode === 'drain' ? drain.maxPoolSize : undefined,
  pollInterval: graphileSettings.pickup.pollInterval,
  noHandleSignals: true,
  logger: createQuietGraphileLogger(),
  taskList: { noop },
  parsedCronItems: [],
  preset:
    mode === 'drain'
      ? { worker: { localQueue: { size: drain.localQueueSize }, completeJobBatchDelay: drain.completeJobBatchDelay } }
      : {},
});
process.once('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
tellBench({ kind: 'ready' });
