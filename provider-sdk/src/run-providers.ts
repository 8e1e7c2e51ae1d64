import {
  AbortError,
  AuthenticationError,
  backoffDelay,
  createTransport,
  isTransient,
  maxClaimBatch,
  PermissionDeniedError,
  retryDelay,
  sleep,
  withRetries,
  type ClaimedTask,
  type LeaseEnded,
} from '@taskproc/spec';
import { runControlStream } from './internal/control-stream.ts';
import { createResultBatcher } from './internal/result-batcher.ts';
import { createStreamBatcher } from './internal/stream-batcher.ts';
import { startTaskRun, type TaskRun } from './internal/task-run.ts';
import { createWorkApi } from './internal/work-api.ts';
import { resolveRunnerOptions, type RunnerConfig, type RunProvidersOptions } from './runner-options.ts';

/**
 * idle: registering the providers. running: polling for work. stopping: no new work, running
 * tasks finishing. stopped: nothing left; final.
 */
export type RunnerState = 'idle' | 'running' | 'stopping' | 'stopped';

export interface StopOptions {
  /** Overrides the runner's `graceMs` for this stop. */
  graceMs?: number;
}

/** A running set of providers in this process. */
export interface ProviderRunner {
  readonly state: RunnerState;
  /** Resolves once every provider is registered; rejects when registration failed or stop came first. */
  readonly ready: Promise<void>;
  /** Resolves once stopped; rejects with the error when a fatal one (bad token, refused registration) stopped it. */
  readonly done: Promise<void>;
  /** Tasks being worked on right now. */
  readonly inFlight: number;
  /**
   * Stops polling at once, lets running tasks finish for the grace time, then aborts their
   * signals and releases their tasks back to the queue (no attempt spent). Returns the same
   * promise when called again.
   */
  stop(options?: StopOptions): Promise<void>;
}

// Claim failures back off from half a second up to 30 s.
const pollBackoff = { initialMs: 500, maxMs: 30_000 };
// ...but a coordinator that is restarting or cannot reach its database (no answer, 503) is
// usually back within seconds: providers must not sit idle for half a minute after it is.
const transientPollBackoff = { initialMs: 250, maxMs: 5_000 };
// A claim that answers "nothing" faster than this did not wait (waitMs 0, or a coordinator
// capping the wait); pausing then keeps an idle provider from spinning.
const noWaitThresholdMs = 250;
const noWaitPauseMs = 1_000;

/**
 * Registers the providers and works on their tasks until stopped: long-polls the coordinator,
 * runs each claimed task with heartbeats, reports results. Installs no signal handlers (see
 * {@link attachShutdownListeners}).
 */
export function runProviders(options: RunProvidersOptions): ProviderRunner {
  const config = resolveRunnerOptions(options);
  const { logger } = config;
  const api = createWorkApi(
    createTransport({ url: config.url, token: config.token, fetch: config.fetch, send: config.send, timeoutMs: config.requestTimeoutMs }),
  );
  const providers = new Map(config.providers.map((provider) => [provider.id, provider]));
  let waitingForSlot = false;
  // Slots promised to a claim sent along with results, not yet dispatched.
  let reservedSlots = 0;
  const sendResult = createResultBatcher({
    api,
    // While the poll loop waits for free slots, results carry the next claim: the slots they free
    // are filled in the same round trip. waitMs 0, so the results' answer never waits for work.
    claimAlong() {
      if (!waitingForSlot || polling.signal.aborted) return undefined;
      const max = Math.min(maxClaimBatch, config.concurrency - processing.size - reservedSlots);
      if (max <= 0) return undefined;
      reservedSlots += max;
      return {
        request: { providerIds: [...providers.keys()], max, waitMs: 0, ...(config.leaseMs ? { leaseMs: config.leaseMs } : {}) },
        dispatch(tasks) {
          reservedSlots -= max;
          if (polling.signal.aborted) {
            for (const task of tasks) void api.release(task.task.id, task.leaseId).catch(() => {});
            return;
          }
          for (const task of tasks) dispatch(task, config);
        },
      };
    },
  });
  const polling = new AbortController();
  // The control stream outlives polling: tasks finishing during a graceful stop can still be cancelled.
  const control = new AbortController();
  const streams = createStreamBatcher({ api, logger, intervalMs: config.streamIntervalMs });
  const runs = new Map<string, TaskRun>();
  // Runs whose `process` is still going: those hold a slot. The others only await their report.
  const processing = new Set<string>();
  let state: RunnerState = 'idle';
  let fatal: unknown;
  let stopping: Promise<void> | undefined;
  let wakeOnFreeSlot: (() => void) | undefined;

  let settleDone!: (err?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    settleDone = (err) => (err === undefined ? resolve() : reject(err));
  });

  async function register(): Promise<void> {
    for (const provider of config.providers) {
      try {
        // The process's concurrency is what the coordinator counts as the provider's slots.
        const descriptor = { ...provider.descriptor, concurrency: provider.descriptor.concurrency ?? config.concurrency };
        await withRetries(() => api.register(provider.id, descriptor, polling.signal), {
          maxRetries: Infinity,
          backoff: pollBackoff,
          signal: polling.signal,
          onRetry: (err, attempt, delayMs) =>
            logger.warn({ err, attempt, delayMs, providerId: provider.id }, 'could not register; retrying'),
        });
      } catch (err) {
        if (polling.signal.aborted) throw new AbortError('The runner was stopped before registration finished', { kind: 'shutdown', cause: err });
        fatal = err;
        logger.error({ err, providerId: provider.id }, 'registration refused');
        void stop();
        throw err;
      }
    }
    logger.info({ providers: [...providers.keys()] }, 'providers registered');
  }

  /** A lease ended on the coordinator: the run holding it (if it is ours) stops at once. */
  function onLeaseEnded(notice: LeaseEnded): void {
    const run = notice.leaseId ? runs.get(notice.leaseId) : [...runs.values()].find((r) => r.taskId === notice.taskId);
    if (!run || run.taskId !== notice.taskId) return;
    logger.debug({ taskId: notice.taskId, reason: notice.reason }, 'lease ended (control stream)');
    run.endLease(notice.reason === 'lease_lost' ? 'lease_lost' : 'cancelled');
  }

  async function poll(): Promise<void> {
    if (polling.signal.aborted) return;
    state = 'running';
    const providerIds = [...providers.keys()];
    let failures = 0;
    while (!polling.signal.aborted) {
      const free = freeSlots();
      if (free <= 0) {
        await freeSlot();
        continue;
      }
      const startedAt = performance.now();
      let claimed: ClaimedTask[];
      try {
        // Stopping aborts this request even while it is parked. Tasks the coordinator claimed
        // as we hung up are handed back by the coordinator (or by their lease expiry).
        const response = await api.claim(
          { providerIds, max: Math.min(free, maxClaimBatch), waitMs: config.waitMs, leaseMs: config.leaseMs },
          { signal: polling.signal, timeoutMs: config.waitMs + config.requestTimeoutMs },
        );
        claimed = response.tasks;
        failures = 0;
      } catch (err) {
        if (polling.signal.aborted) break;
        if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
          fatal = err;
          logger.error({ err }, 'the coordinator refused the token; stopping');
          void stop();
          break;
        }
        failures++;
        const delayMs = isTransient(err) ? retryDelay(err, failures, transientPollBackoff) : backoffDelay(failures, pollBackoff);
        logger[isTransient(err) ? 'warn' : 'error']({ err, failures, delayMs }, 'claim failed; backing off');
        await sleep(delayMs, polling.signal);
        continue;
      }
      for (const task of claimed) dispatch(task, config);
      if (claimed.length === 0 && performance.now() - startedAt < noWaitThresholdMs) {
        await sleep(noWaitPauseMs, polling.signal);
      }
    }
  }

  function dispatch(claimed: ClaimedTask, { heartbeatIntervalMs, leaseMs, retryableAttempts }: RunnerConfig): void {
    const provider = providers.get(claimed.providerId);
    if (!provider) {
      // Only a coordinator bug gets here; hand the task back rather than sit on it.
      logger.error({ taskId: claimed.task.id, providerId: claimed.providerId }, 'claimed a task for an unknown provider');
      void api.release(claimed.task.id, claimed.leaseId).catch(() => {});
      return;
    }
    const leaseLength = leaseMs ?? clamp(Date.parse(claimed.leaseExpiresAt) - Date.now(), 3_000, 3_600_000);
    const run = startTaskRun({
      claimed,
      provider,
      api,
      sendResult,
      streams,
      logger,
      retryableAttempts,
      heartbeatIntervalMs: heartbeatIntervalMs ?? Math.max(100, Math.floor(leaseLength / 3)),
    });
    runs.set(claimed.leaseId, run);
    processing.add(claimed.leaseId);
    void run.processed.then(() => {
      processing.delete(claimed.leaseId);
      wakeOnFreeSlot?.();
    });
    void run.finished.then(() => {
      runs.delete(claimed.leaseId);
      wakeOnFreeSlot?.();
    });
  }

  /**
   * Slots for new tasks: a task holds one while `process` runs, not while its result is being
   * reported (results go out in batches in the background, as graphile-worker's and River's
   * completers do), so claiming the next tasks overlaps reporting the last ones. Reports waiting
   * for their answer are bounded too: at twice `concurrency` of them (a batch in flight and one
   * gathering), nothing new is claimed.
   */
  function freeSlots(): number {
    const reporting = runs.size - processing.size;
    if (reporting >= 2 * config.concurrency) return 0;
    return config.concurrency - processing.size - reservedSlots;
  }

  /**
   * Waits until a task run ends, and then two turns of the event loop more: runs whose results
   * were answered together end together, and the next claim should ask for all their slots.
   */
  function freeSlot(): Promise<void> {
    waitingForSlot = true;
    return new Promise((resolve) => {
      const wake = () => {
        wakeOnFreeSlot = undefined;
        polling.signal.removeEventListener('abort', wake);
        // Two turns: the result batcher sends the results that freed the slot in the first,
        // while this loop still waits, so they carry the next claim (one request, and the
        // result reaches the coordinator first instead of queueing behind a claim).
        setImmediate(() =>
          setImmediate(() => {
            waitingForSlot = false;
            resolve();
          }),
        );
      };
      wakeOnFreeSlot = wake;
      polling.signal.addEventListener('abort', wake, { once: true });
    });
  }

  function stop(stopOptions: StopOptions = {}): Promise<void> {
    stopping ??= (async () => {
      state = 'stopping';
      const graceMs = stopOptions.graceMs ?? config.graceMs;
      polling.abort(new AbortError('The runner is stopping', { kind: 'shutdown' }));
      await polled;
      if (runs.size > 0) {
        logger.info({ inFlight: runs.size, graceMs }, 'stopping: waiting for running tasks');
        const graceOver = new AbortController();
        const allFinished = Promise.all([...runs.values()].map((run) => run.finished));
        await Promise.race([allFinished, sleep(graceMs, graceOver.signal)]);
        graceOver.abort();
        // What is still running now is aborted and released: no attempt spent, nothing lost.
        for (const run of runs.values()) run.abandon();
        await Promise.all([...runs.values()].map((run) => run.finished));
      }
      control.abort();
      await controlled;
      state = 'stopped';
      logger.info('runner stopped');
      settleDone(fatal);
    })();
    return stopping;
  }

  const ready = register();
  const polled = ready.then(poll, () => {});
  const controlled = !config.controlStream
    ? Promise.resolve()
    : ready.then(
        () =>
          runControlStream({
            api,
            providerIds: [...providers.keys()],
            logger,
            signal: control.signal,
            onLeaseEnded,
            onReconnected: () => void Promise.all([...runs.values()].map((run) => run.checkLease())),
          }),
        () => {},
      );
  // Whoever does not await these must not crash the process with an unhandled rejection.
  ready.catch(() => {});
  done.catch(() => {});

  return {
    get state() {
      return state;
    },
    get inFlight() {
      return runs.size;
    },
    ready,
    done,
    stop,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
