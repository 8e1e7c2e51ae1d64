/**
 * Bench worker: pg-boss running the no-op job. Pickup mode reports each job's start and end;
 * drain mode reports the first job's start (the bench watches the table for the end).
 * Process edge: reads the environment.
 */
import PgBoss from 'pg-boss';
import { tellBench, workerEnv, type NoopPayload, type WorkerMode } from '../messages.ts';
import { pgBossSettings } from '../peers/peer-settings.ts';

const mode = process.env[workerEnv.mode] as WorkerMode;
const concurrency = Number(process.env[workerEnv.concurrency] ?? 1);

const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, migrate: false });
boss.on('error', (err) => console.error(err));
await boss.start();

let first = true;
await boss.work<NoopPayload>(
  'noop',
  { pollingIntervalSeconds: pgBossSettings.pollingIntervalSeconds, batchSize: pgBossSettings.batchSize(mode === 'drain' ? concurrency : 1) },
  async (jobs) => {
    const at = process.hrtime.bigint();
    if (first && mode === 'drain') tellBench({ kind: 'first', at });
    first = false;
    if (mode !== 'pickup') return;
    for (const job of jobs) {
      tellBench({ kind: 'pick', seq: job.data.seq, at });
      // Sent before pg-boss marks the job complete: the bench pauses before the next job.
      tellBench({ kind: 'done', seq: job.data.seq });
    }
  },
);
process.once('SIGTERM', () => void boss.stop({ graceful: false, wait: true }).then(() => process.exit(0)));
tellBench({ kind: 'ready' });
