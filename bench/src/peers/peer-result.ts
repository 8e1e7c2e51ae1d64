import type { DrainResult } from '../scenarios/drain-result.ts';
import type { PickupResult } from '../scenarios/pickup.ts';

/** What is measured of a peer: pickup latency and one drain, with the settings used. */
export interface PeerResult {
  name: string;
  version: string;
  settings: Record<string, unknown>;
  pickup: PickupResult;
  drain: DrainResult;
}

/** How big a peer run is. */
export interface PeerRunOptions {
  samples: number;
  warmup: number;
  drainTasks: number;
  drainConcurrency: number;
  drainCapSeconds: number;
}

/** Splits `count` jobs into bulk inserts of at most `size`. */
export function* chunks(count: number, size = 1_000): Generator<number[]> {
  for (let start = 0; start < count; start += size) {
    yield Array.from({ length: Math.min(size, count - start) }, (_, i) => start + i);
  }
}
