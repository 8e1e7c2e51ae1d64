import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The coordinator's Prometheus metrics (GET /metrics). One registry per coordinator, so tests
 * and several coordinators in one process never share counts.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Tasks scheduled, by how they reached a provider: `handoff` (straight to a parked claim) or `queued`. */
  readonly tasksScheduled: Counter<'delivery'>;
}

/** Readings taken when Prometheus scrapes. */
export interface MetricSources {
  /** Long-poll claims parked with nothing to do. */
  idleClaims(): number;
  /** False while the database is unreachable. */
  databaseReachable(): boolean;
  /** Providers' control streams open here. */
  controlStreams(): number;
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  new Gauge({
    name: 'taskproc_claims_parked',
    help: 'Long-poll claims parked on this coordinator that found no work and wait for a task',
    registers: [registry],
    collect() {
      this.set(sources.idleClaims());
    },
  });
  new Gauge({
    name: 'taskproc_database_reachable',
    help: '1 while this coordinator reaches its database, 0 during an outage (requests then answer 503 database_unavailable)',
    registers: [registry],
    collect() {
      this.set(sources.databaseReachable() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'taskproc_control_streams',
    help: 'Provider control streams (GET /v1/work/control) open on this coordinator: cancellations reach these providers at once',
    registers: [registry],
    collect() {
      this.set(sources.controlStreams());
    },
  });
  const tasksScheduled = new Counter({
    name: 'taskproc_tasks_scheduled_total',
    help: 'Tasks scheduled on this coordinator, by delivery: handoff (inserted leased to a parked claim) or queued',
    labelNames: ['delivery'] as const,
    registers: [registry],
  });
  tasksScheduled.inc({ delivery: 'handoff' }, 0);
  tasksScheduled.inc({ delivery: 'queued' }, 0);
  return { registry, tasksScheduled };
}
