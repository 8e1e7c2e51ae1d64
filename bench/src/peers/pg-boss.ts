import { createBenchPostgresDatabase } from '../bench-database.ts';
import PgBoss from 'pg-boss';
import postgres from 'postgres';
import { packageVersion } from '../machine.ts';
import { measurePeerDrain } from '../scenarios/drain-result.ts';
import { measurePickup } from '../scenarios/pickup.ts';
import { startWorker } from '../worker-process.ts';
import { chunks, type PeerResult, type PeerRunOptions } from './peer-result.ts';
import { pgBossSettings } from './peer-settings.ts';

/**
 * pg-boss on its own fresh database of the same PostgreSQL: pickup latency with one idle worker
 * (polling at its lowest interval), then a drain of queued jobs.
 */
export async function benchPgBoss(options: PeerRunOptions): Promise<PeerResult> {
  const db = await createBenchPostgresDatabase();
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  // The sending side only: no maintenance or cron in this process.
  const boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false });
  boss.on('error', (err) => console.error(err));
  const env = (mode: string, concurrency: number) => ({
    DATABASE_URL: db.url,
    BENCH_MODE: mode,
    BENCH_CONCURRENCY: String(concurrency),
  });
  try {
    await boss.start();
    await boss.createQueue('noop');
    const pickupWorker = startWorker('pg-boss-worker', env('pickup', 1));
    const pickup = await (async () => {
      try {
        await pickupWorker.next('ready');
        const schedule = async (seq: number) => void (await boss.send('noop', { seq }));
        const pollIntervalMs = pgBossSettings.pollingIntervalSeconds * 1_000;
        return await measurePickup({ schedule, worker: pickupWorker, pollIntervalMs }, options);
      } finally {
        await pickupWorker.stop();
      }
    })();

    for (const seqs of chunks(options.drainTasks)) {
      await boss.insert(seqs.map((seq) => ({ name: 'noop', data: { seq } })));
    }
    const drainWorker = startWorker('pg-boss-worker', env('drain', options.drainConcurrency));
    const drain = await (async () => {
      try {
        const unfinished = async () =>
          (await sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = 'noop' and state <> 'completed'`)[0]!.n;
        return await measurePeerDrain(drainWorker, options, sql, unfinished);
      } finally {
        await drainWorker.stop();
      }
    })();
    return {
      name: 'pg-boss',
      version: packageVersion('pg-boss'),
      settings: {
        pollingIntervalSeconds: pgBossSettings.pollingIntervalSeconds,
        pickupBatchSize: pgBossSettings.batchSize(1),
        drainBatchSize: pgBossSettings.batchSize(options.drainConcurrency),
      },
      pickup,
      drain,
    };
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await sql.end();
    await db.drop();
  }
}
