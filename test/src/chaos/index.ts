// Helpers of the chaos suites (test/test/chaos-*.test.ts): real processes killed under load.
export * from './chaos-coordinator.ts';
export * from './chaos-figures.ts';
export * from './chaos-plan.ts';
export * from './chaos-run.ts';
export * from './chaos-task.ts';
export * from './chaos-tokens.ts';
export * from './drain-tasks.ts';
export * from './exit-watch.ts';
export * from './free-port.ts';
export * from './http-outcome.ts';
export * from './private-postgres.ts';
export * from './provider-pool.ts';
export * from './schedule-load.ts';
export * from './tcp-balancer.ts';
