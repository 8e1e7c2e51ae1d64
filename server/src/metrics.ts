import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CurrentQueueRow, ProviderSlotsRow } from './stats/queue-stats.ts';

/**
 * The coordinator's Prometheus metrics (GET /metrics, or the open listener of
 * TASKPROC_METRICS_PORT). One registry per coordinator, so tests and several coordinators in
 * one process never share counts. Counters and histograms count what happened on this process
 * (sum them over replicas); the queue, provider and webhook gauges are read from the database
 * at scrape time, so every replica shows the same values (take one, or max, not the sum).
 */
export interface Metrics {
  readonly registry: Registry;
  /** The exposition text: reads the database once for the gauges that come from it, then renders. */
  scrape(): Promise<string>;
  /** Tasks scheduled, by how they reached a provider: `handoff` (straight to a parked claim) or `queued`. */
  readonly tasksScheduled: Counter<'delivery'>;
  /** A task was claimed after waiting `waitMs` since it was scheduled. */
  taskStarted(type: string, waitMs: number): void;
  /** A report ended a task; `runMs` from its start, when it had one. */
  taskEnded(type: string, status: 'successful' | 'failed', runMs: number | null): void;
  /** The lease sweep found expired leases: tasks requeued for another attempt, or failed for good. */
  leasesExpired(requeued: number, failed: number): void;
  /** A webhook attempt ended. */
  webhookAttempt(outcome: 'delivered' | 'retry' | 'failed'): void;
  /** A provider went stale or came back (the liveness watch). */
  providerLiveness(change: 'stale' | 'live'): void;
  /** An HTTP request was answered. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
}

/** What the database-backed gauges read at scrape time. */
export interface DatabaseReadings {
  queue: CurrentQueueRow[];
  providers: ProviderSlotsRow[];
  webhookBacklog: number;
}

/** Readings taken when Prometheus scrapes. */
export interface MetricSources {
  /** Long-poll claims parked with nothing to do. */
  idleClaims(): number;
  /** False while the database is unreachable. */
  databaseReachable(): boolean;
  /** Providers' control streams open here. */
  controlStreams(): number;
  /** One read of the database per scrape, shared by the gauges below. */
  readDatabase(): Promise<DatabaseReadings>;
}

// Seconds, from a hand-off (sub-millisecond) to tasks that wait for hours.
const waitBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14_400];
const runBuckets = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const httpBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30, 60];

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'taskproc_' });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('taskproc_claims_parked', 'Long-poll claims parked on this coordinator that found no work and wait for a task', sources.idleClaims);
  gauge(
    'taskproc_database_reachable',
    '1 while this coordinator reaches its database, 0 during an outage (requests then answer 503 database_unavailable)',
    () => (sources.databaseReachable() ? 1 : 0),
  );
  gauge(
    'taskproc_control_streams',
    'Provider control streams (GET /v1/work/control) open on this coordinator: cancellations reach these providers at once',
    sources.controlStreams,
  );

  // The database gauges show what scrape() read just before rendering: one read per scrape,
  // however many gauges there are. Without a reading (the database is away) they are empty.
  let reading: DatabaseReadings | undefined;
  const databaseGauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, r: DatabaseReadings) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        if (reading) fill(this, reading);
      },
    });
  databaseGauge('taskproc_queue_depth', 'Scheduled tasks waiting for a provider, by task type', ['type'], (g, r) => {
    for (const row of r.queue) g.set({ type: row.type }, row.scheduled);
  });
  databaseGauge('taskproc_queue_oldest_age_seconds', 'Age of the oldest scheduled task, by task type (absent when none waits)', ['type'], (g, r) => {
    for (const row of r.queue) if (row.oldestScheduledAgeSeconds !== null) g.set({ type: row.type }, row.oldestScheduledAgeSeconds);
  });
  databaseGauge('taskproc_tasks_running', 'Tasks a provider holds now (busy slots), by task type', ['type'], (g, r) => {
    for (const row of r.queue) g.set({ type: row.type }, row.running);
  });
  databaseGauge('taskproc_providers', 'Registered providers by task type and liveness (live: polled within TASKPROC_PROVIDER_LIVENESS_MS)', ['type', 'state'], (g, r) => {
    for (const row of r.providers) {
      g.set({ type: row.type, state: 'live' }, row.live);
      g.set({ type: row.type, state: 'stale' }, row.stale);
    }
  });
  databaseGauge('taskproc_provider_slots', 'Tasks the live providers of a type run at once, as they declared (concurrency)', ['type'], (g, r) => {
    for (const row of r.providers) g.set({ type: row.type }, row.slots);
  });
  databaseGauge('taskproc_webhook_backlog', 'Webhook deliveries pending (not yet delivered, not given up)', [], (g, r) => {
    g.set(r.webhookBacklog);
  });

  const tasksScheduled = new Counter({
    name: 'taskproc_tasks_scheduled_total',
    help: 'Tasks scheduled on this coordinator, by delivery: handoff (inserted leased to a parked claim) or queued',
    labelNames: ['delivery'] as const,
    registers: [registry],
  });
  tasksScheduled.inc({ delivery: 'handoff' }, 0);
  tasksScheduled.inc({ delivery: 'queued' }, 0);
  const waitSeconds = new Histogram({
    name: 'taskproc_task_wait_seconds',
    help: 'Scheduled to claimed (schedule-to-start), by task type',
    labelNames: ['type'] as const,
    buckets: waitBuckets,
    registers: [registry],
  });
  const runSeconds = new Histogram({
    name: 'taskproc_task_run_seconds',
    help: 'Claimed to ended, by task type and status',
    labelNames: ['type', 'status'] as const,
    buckets: runBuckets,
    registers: [registry],
  });
  const results = new Counter({
    name: 'taskproc_task_results_total',
    help: 'Result reports that ended a task, by task type and status',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
  });
  const leaseExpiries = new Counter({
    name: 'taskproc_lease_expiries_total',
    help: 'Leases that expired (the provider went silent), by what became of the task: requeued (a retry) or failed (attempts used up)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  leaseExpiries.inc({ outcome: 'requeued' }, 0);
  leaseExpiries.inc({ outcome: 'failed' }, 0);
  const webhookAttempts = new Counter({
    name: 'taskproc_webhook_attempts_total',
    help: 'Webhook attempts, by outcome: delivered, retry (failed, tried again later) or failed (given up)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['delivered', 'retry', 'failed']) webhookAttempts.inc({ outcome }, 0);
  const livenessChanges = new Counter({
    name: 'taskproc_provider_liveness_changes_total',
    help: 'Providers seen going stale (stopped polling) or coming back, by this coordinator',
    labelNames: ['change'] as const,
    registers: [registry],
  });
  livenessChanges.inc({ change: 'stale' }, 0);
  livenessChanges.inc({ change: 'live' }, 0);
  const http = new Histogram({
    name: 'taskproc_http_request_duration_seconds',
    help: 'HTTP requests by method, route (the path template) and status; long-polls and streams count their whole wait',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: httpBuckets,
    registers: [registry],
  });

  let scraping: Promise<string> | undefined;
  const scrape = async () => {
    reading = sources.databaseReachable() ? await sources.readDatabase().catch(() => undefined) : undefined;
    return registry.metrics();
  };

  return {
    registry,
    // Scrapes that overlap share one read and one rendering.
    scrape: () => (scraping ??= scrape().finally(() => (scraping = undefined))),
    tasksScheduled,
    taskStarted: (type, waitMs) => waitSeconds.observe({ type }, Math.max(0, waitMs) / 1000),
    taskEnded(type, status, runMs) {
      results.inc({ type, status });
      if (runMs !== null) runSeconds.observe({ type, status }, Math.max(0, runMs) / 1000);
    },
    leasesExpired(requeued, failed) {
      if (requeued > 0) leaseExpiries.inc({ outcome: 'requeued' }, requeued);
      if (failed > 0) leaseExpiries.inc({ outcome: 'failed' }, failed);
    },
    webhookAttempt: (outcome) => webhookAttempts.inc({ outcome }),
    providerLiveness: (change) => livenessChanges.inc({ change }),
    httpRequest: (method, route, status, seconds) => http.observe({ method, route, status: String(status) }, seconds),
  };
}
