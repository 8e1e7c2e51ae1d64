import type { ViolationKind } from './fuzz-checks.ts';

// What a run sent and got, for the summary line printed after it (and the assertion that every
// route of the app was fuzzed).

export interface FuzzTally {
  requests: number;
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  byRoute: Map<string, number>;
  /** Answers per route and status, for tuning the generators (printed with TASKPROC_FUZZ_VERBOSE=1). */
  statuses: Map<string, Map<string, number>>;
  violations: Record<ViolationKind, number>;
}

export function createTally(): FuzzTally {
  return {
    requests: 0,
    byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    byRoute: new Map(),
    statuses: new Map(),
    violations: { server_error: 0, not_a_problem: 0, half_written: 0, invalid_accepted: 0 },
  };
}

export function countAnswer(tally: FuzzTally, route: string, status: number, code: unknown, violations: readonly { kind: ViolationKind }[]): void {
  tally.requests++;
  const cls = `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as keyof FuzzTally['byClass'];
  tally.byClass[cls]++;
  tally.byRoute.set(route, (tally.byRoute.get(route) ?? 0) + 1);
  const statuses = tally.statuses.get(route) ?? new Map<string, number>();
  const outcome = typeof code === 'string' ? `${status} ${code}` : String(status);
  statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
  tally.statuses.set(route, statuses);
  for (const v of violations) tally.violations[v.kind]++;
}

/** One line per database, e.g. `fuzz [pglite] seed 1: 700 requests: 2xx 210, 4xx 490, 5xx 0; half-written rows 0 ...`. */
export function summarize(label: string, seed: number, tally: FuzzTally): string {
  const c = tally.byClass;
  const v = tally.violations;
  return (
    `fuzz [${label}] seed ${seed}: ${tally.requests} requests to ${tally.byRoute.size} routes: ` +
    `2xx ${c['2xx']}, 3xx ${c['3xx']}, 4xx ${c['4xx']}, 5xx ${c['5xx']}; half-written rows ${v.half_written}, ` +
    `invalid accepted ${v.invalid_accepted}, errors not problem+json ${v.not_a_problem}`
  );
}

/** Statuses per route, one route a line, most requested first. */
export function statusTable(tally: FuzzTally): string {
  return [...tally.statuses.entries()]
    .sort((a, b) => (tally.byRoute.get(b[0]) ?? 0) - (tally.byRoute.get(a[0]) ?? 0))
    .map(([route, statuses]) => `  ${route}: ${[...statuses.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([s, n]) => `${s} x${n}`).join(', ')}`)
    .join('\n');
}
