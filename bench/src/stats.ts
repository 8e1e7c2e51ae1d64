import * as hdr from 'hdr-histogram-js';

/** A latency distribution as reported: milliseconds, three decimals. */
export interface LatencySummary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /**
   * Samples below zero, recorded as zero: the job reached the worker before the call that
   * scheduled it had returned to the caller (the worker heard first).
   */
  negative: number;
}

/** Collects latencies (nanoseconds, as bigint clock differences) into an HDR histogram. */
export interface LatencyRecorder {
  record(nanoseconds: bigint): void;
  summary(): LatencySummary;
}

export function createLatencyRecorder(): LatencyRecorder {
  // Microsecond resolution, 3 significant digits: exact enough for sub-millisecond figures
  // without keeping every sample.
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  let negative = 0;
  return {
    record(nanoseconds) {
      if (nanoseconds < 0n) negative++;
      const micros = nanoseconds < 0n ? 0 : Number(nanoseconds / 1_000n);
      histogram.recordValue(micros);
    },
    summary() {
      const ms = (micros: number) => Math.round(micros) / 1_000;
      return {
        samples: histogram.totalCount,
        p50: ms(histogram.getValueAtPercentile(50)),
        p90: ms(histogram.getValueAtPercentile(90)),
        p99: ms(histogram.getValueAtPercentile(99)),
        max: ms(histogram.maxValue),
        mean: ms(histogram.mean),
        negative,
      };
    },
  };
}

/** Tasks per second over a span of the shared clock. */
export function ratePerSecond(count: number, fromNs: bigint, toNs: bigint): number {
  const seconds = Number(toNs - fromNs) / 1e9;
  return seconds > 0 ? Math.round(count / seconds) : 0;
}

/** Nanoseconds to milliseconds, three decimals. */
export function toMs(nanoseconds: bigint): number {
  return Math.round(Number(nanoseconds) / 1_000) / 1_000;
}
