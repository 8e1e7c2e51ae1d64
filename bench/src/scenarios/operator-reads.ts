import type { BenchCoordinator } from '../taskproc/bench-coordinator.ts';
import { createLatencyRecorder, type LatencySummary } from '../stats.ts';

/** What operators' reads cost: GET /v1/admin/stats and a Prometheus scrape, timed one after another. */
export interface OperatorReadsResult {
  /** Tasks waiting while timed. */
  waiting: number;
  stats: LatencySummary;
  scrape: LatencySummary;
}

/** Times `samples` sequential calls of each read against the coordinator as it stands (a backlog in place). */
export async function measureOperatorReads(coordinator: BenchCoordinator, waiting: number, samples: number): Promise<OperatorReadsResult> {
  const time = async (path: string) => {
    const recorder = createLatencyRecorder();
    for (let i = 0; i < samples; i++) {
      const started = process.hrtime.bigint();
      const res = await fetch(new URL(path, coordinator.url), { headers: { authorization: `Bearer ${coordinator.adminToken}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
      recorder.record(process.hrtime.bigint() - started);
    }
    return recorder.summary();
  };
  return { waiting, stats: await time('/v1/admin/stats'), scrape: await time('/metrics') };
}

/**
 * Operators reading while the hot path runs: a scrape of /metrics and a GET /v1/admin/stats every
 * `everyMs` (Prometheus scrapes every 15-30 s; this is far busier). Returns the stop function.
 */
export function startOperatorReader(coordinator: BenchCoordinator, everyMs: number): () => Promise<number> {
  let stopped = false;
  let reads = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const headers = { authorization: `Bearer ${coordinator.adminToken}` };
        await Promise.all(
          ['/metrics', '/v1/admin/stats'].map(async (path) => {
            const res = await fetch(new URL(path, coordinator.url), { headers });
            await res.arrayBuffer();
            if (res.ok) reads++;
          }),
        );
      } catch {
        // The PGlite drain restarts the coordinator to insert its tasks: no reads meanwhile.
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return reads;
  };
}
