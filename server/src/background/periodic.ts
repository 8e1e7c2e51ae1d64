import type { Logger } from 'pino';

/** A job the coordinator runs every `intervalMs` while it is up (sweeps, webhook deliveries). */
export interface PeriodicJob {
  name: string;
  intervalMs: number;
  run(): Promise<void>;
}

export interface PeriodicRunner {
  /** Runs a job now instead of waiting for its next turn (e.g. right after an outbox write). */
  poke(name: string): void;
  /** Stops every job and waits for runs in progress; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs each job on its own timer, never overlapping itself. A failing run is logged and the job
 * keeps its schedule: one bad sweep must not stop the next.
 */
export function startPeriodicJobs(
  jobs: PeriodicJob[],
  logger: Logger,
  /** Takes a failure it has already reported elsewhere (the database is away); true stops the log line. */
  absorb: (err: unknown) => boolean = () => false,
): PeriodicRunner {
  let stopped = false;
  const state = jobs.map((job) => ({ job, timer: undefined as NodeJS.Timeout | undefined, running: undefined as Promise<void> | undefined, again: false }));

  const runNow = (s: (typeof state)[number]) => {
    if (stopped) return;
    if (s.running) {
      s.again = true;
      return;
    }
    clearTimeout(s.timer);
    s.running = s.job
      .run()
      .catch((err: unknown) => {
        if (!absorb(err)) logger.error({ err, job: s.job.name }, 'periodic job failed');
      })
      .finally(() => {
        s.running = undefined;
        if (stopped) return;
        if (s.again) {
          s.again = false;
          runNow(s);
        } else {
          s.timer = setTimeout(() => runNow(s), s.job.intervalMs);
          s.timer.unref();
        }
      });
  };
  for (const s of state) {
    s.timer = setTimeout(() => runNow(s), s.job.intervalMs);
    s.timer.unref();
  }

  let stopping: Promise<void> | undefined;
  return {
    poke(name) {
      const s = state.find((x) => x.job.name === name);
      if (s) runNow(s);
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const s of state) clearTimeout(s.timer);
        await Promise.allSettled(state.map((s) => s.running));
      })();
      return stopping;
    },
  };
}
