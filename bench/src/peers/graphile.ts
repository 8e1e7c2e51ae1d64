import { createBenchPostgresDatabase } from '../bench-database.ts';
import { makeWorkerUtils } from 'graphile-worker';
import postgres from 'postgres';
import { packageVersion } from '../machine.ts';
import { measurePeerDrain } from '../scenarios/drain-result.ts';
import { measurePickup } from '../scenarios/pickup.ts';
import { startWorker } from '../worker-process.ts';
import { chunks, type PeerResult, type PeerRunOptions } from './peer-result.ts';
import { createQuietGraphileLogger, graphileSettings } from './peer-settings.ts';

/**
 * graphile-worker on its own fresh database of the same PostgreSQL: pickup latency with one idle
 * worker (woken by its LISTEN/NOTIFY), then a drain of queued jobs.
 */
export async function benchGraphileWorker(options: PeerRunOptions): Promise<PeerResult> {
  const db = await createBenchPostgresDatabase();
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const utils = await makeWorkerUtils({ connectionString: db.url, logger: createQuietGraphileLogger() });
  const env = (mode: string, concurrency: number) => ({
    DATABASE_URL: db.url,
    BENCH_MODE: mode,
    BENCH_CONCURRENCY: String(concurrency),
  });
  try {
    await utils.migrate();
    const pickupWorker = startWorker('graphile-worker', env('pickup', 1));
    const pickup = await (async () => {
      try {
        await pickupWorker.next('ready');
        const schedule = async (seq: number) => void (await utils.addJob('noop', { seq }));
        return await measurePickup({ schedule, worker: pickupWorker, pollIntervalMs: 0 }, options);
      } finally {
        await pickupWorker.stop();
      }
    })();

    for (const seqs of chunks(options.drainTasks)) {
      await utils.addJobs(seqs.map((seq) => ({ identifier: 'noop', payload: { seq } })));
    }
    const drainWorker = startWorker('graphile-worker', env('drain', options.drainConcurrency));
    const drain = await (async () => {
      try {
        // Finished jobs are deleted, so what is left in the table is unfinished.
        const unfinished = async () => (await sql<{ n: number }[]>`select count(*)::int as n from graphile_worker._private_jobs`)[0]!.n;
        return await measurePeerDrain(drainWorker, options, sql, unfinished);
      } finally {
        await drainWorker.stop();
      }
    })();
    return {
      name: 'graphile-worker',
      version: packageVersion('graphile-worker'),
      settings: { pickup: graphileSettings.pickup, drain: graphileSettings.drain(options.drainConcurrency) },
      pickup,
      drain,
    };
  } finally {
    await utils.release();
    await sql.end();
    await db.drop();
  }
}
