import { expect } from 'vitest';
import { queryTestDatabase } from '../inspect-database.ts';
import type { TestDatabase } from '../start-coordinator.ts';
import { chaosOutput } from './chaos-task.ts';
import { isConnectionFailure, type HttpRecord } from './http-outcome.ts';
import type { ProviderPool } from './provider-pool.ts';
import type { ScheduleLoad } from './schedule-load.ts';

/**
 * A stretch of time in which failures are expected (ms, Date.now()): from the kill or stop to
 * the first task scheduled after the process or cluster was back. A request counts as inside
 * when its lifetime touches the window: one in flight when the outage began may fail too.
 */
export interface OutageWindow {
  from: number;
  to: number;
}

export interface ChaosEvidence {
  /** Read after every coordinator stopped (PGlite opens in one process only). */
  db: TestDatabase;
  load: ScheduleLoad;
  pool: ProviderPool;
  windows?: readonly OutageWindow[];
  /** Seconds from each process or cluster being back to the first task scheduled. */
  recoveries?: readonly number[];
}

/** The figures each chaos suite prints and asserts on. */
export interface ChaosFigures {
  scheduled: number;
  successful: number;
  failed: number;
  /** Acknowledged (2xx) but not terminal at the end. */
  lost: number;
  /** More than one `successful` event, or results accepted from more than one attempt. */
  completedTwice: number;
  /** Output other than the provider's function of the input the app sent. */
  wrongOutput: number;
  /** 5xx answers outside every outage window (app and providers). */
  fiveXx: number;
  /** Requests without an answer (refused, reset, timed out) outside every outage window. */
  connectionErrors: number;
  /** 503 answers inside an outage window: the expected way to say "not now". */
  unavailableDuringOutage: number;
  /** 5xx other than 503 inside an outage window. */
  otherFiveXxDuringOutage: number;
  /** Requests without an answer inside an outage window, by kind. */
  connectionErrorsDuringOutage: { refused: number; reset: number; timeout: number };
  /** 4xx answers to scheduling: the app's requests are valid, so each is a bug. */
  rejected: number;
  /** Tasks handed back to the queue (a lease that ran out): how much the kills disturbed. */
  requeued: number;
  recoverySeconds: readonly number[];
  /** A few offending records, for the failure message. */
  examples: string[];
}

const terminal = new Set(['successful', 'failed', 'cancelled']);

export async function collectChaosFigures(evidence: ChaosEvidence): Promise<ChaosFigures> {
  const { db, load, pool, windows = [] } = evidence;
  // One query: on PGlite each opens the whole database again, which takes a second or more.
  const rows = await queryTestDatabase<{ id: number; status: string; input: string; output: string | null; successes: number; requeues: number }>(
    db,
    `SELECT t.id, t.status, t.input->>'input' AS input, t.output->>'output' AS output,
       (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.kind = 'successful')::int AS successes,
       (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.kind = 'requeued')::int AS requeues
     FROM tasks t`,
  );
  const requeued = rows.reduce((sum, row) => sum + row.requeues, 0);
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  const examples: string[] = [];
  const note = (what: string) => void (examples.length < 20 && examples.push(what));

  let lost = 0;
  let successful = 0;
  let failed = 0;
  let wrongOutput = 0;
  for (const task of load.scheduled) {
    const row = byId.get(task.id);
    if (!row || !terminal.has(row.status)) {
      lost++;
      note(`lost: task ${task.id} is ${row?.status ?? 'missing'}`);
      continue;
    }
    if (row.status === 'failed') failed++;
    if (row.status !== 'successful') continue;
    successful++;
    if (row.input !== task.text || row.output !== chaosOutput(task.text)) {
      wrongOutput++;
      note(`wrong output: task ${task.id} sent ${JSON.stringify(task.text)}, has ${JSON.stringify(row)}`);
    }
  }

  const twice = new Set(rows.filter((row) => row.successes > 1).map((row) => Number(row.id)));
  const attemptsAccepted = new Map<number, Set<number>>();
  for (const report of pool.acceptedReports()) {
    const seen = attemptsAccepted.get(report.taskId) ?? new Set();
    attemptsAccepted.set(report.taskId, seen.add(report.attempt));
  }
  for (const [taskId, attempts] of attemptsAccepted) if (attempts.size > 1) twice.add(taskId);
  for (const taskId of twice) note(`completed twice: task ${taskId}`);

  for (const w of windows) note(`outage window ${new Date(w.from).toISOString()}..${new Date(w.to).toISOString()}`);
  const inOutage = (r: HttpRecord) => windows.some((w) => r.startedAt <= w.to && r.endedAt >= w.from);
  const records = [...load.attempts, ...pool.failedRequests()];
  const figures: ChaosFigures = {
    scheduled: load.scheduled.length,
    successful,
    failed,
    lost,
    completedTwice: twice.size,
    wrongOutput,
    fiveXx: 0,
    connectionErrors: 0,
    unavailableDuringOutage: 0,
    otherFiveXxDuringOutage: 0,
    connectionErrorsDuringOutage: { refused: 0, reset: 0, timeout: 0 },
    rejected: 0,
    requeued,
    recoverySeconds: evidence.recoveries ?? [],
    examples,
  };
  for (const r of records) {
    const during = inOutage(r);
    const what = `${r.by} ${r.path} ${r.outcome} at ${new Date(r.startedAt).toISOString()}..${new Date(r.endedAt).toISOString()}`;
    if (isConnectionFailure(r.outcome)) {
      if (during) {
        figures.connectionErrorsDuringOutage[r.outcome]++;
      } else {
        figures.connectionErrors++;
        note(`no answer outside an outage: ${what}`);
      }
    } else if (r.outcome >= 500 && !during) {
      figures.fiveXx++;
      note(`5xx outside an outage: ${what}`);
    } else if (r.outcome === 503) {
      figures.unavailableDuringOutage++;
    } else if (r.outcome >= 500) {
      figures.otherFiveXxDuringOutage++;
      note(`5xx other than 503 in an outage: ${what}`);
    } else if (r.outcome >= 400 && r.by === 'app') {
      figures.rejected++;
      note(`scheduling refused: ${what}`);
    }
  }
  return figures;
}

/** The one line of figures a suite prints. */
export function formatChaosFigures(label: string, f: ChaosFigures, extra: Record<string, string | number> = {}): string {
  const during = f.connectionErrorsDuringOutage;
  const recovery = f.recoverySeconds.length
    ? `${Math.max(...f.recoverySeconds).toFixed(2)} max (${f.recoverySeconds.map((s) => s.toFixed(2)).join(', ')})`
    : '-';
  const parts = [
    `scheduled ${f.scheduled}`,
    `successful ${f.successful}`,
    `failed ${f.failed}`,
    `lost ${f.lost}`,
    `completed twice ${f.completedTwice}`,
    `wrong output ${f.wrongOutput}`,
    `5xx ${f.fiveXx} (outside outage)`,
    `no answer ${f.connectionErrors} (outside outage)`,
    `in outage: 503 ${f.unavailableDuringOutage}, other 5xx ${f.otherFiveXxDuringOutage}, refused ${during.refused}, reset ${during.reset}, timeout ${during.timeout}`,
    `4xx ${f.rejected}`,
    `requeued ${f.requeued}`,
    `recover s ${recovery}`,
    ...Object.entries(extra).map(([k, v]) => `${k} ${v}`),
  ];
  return `[chaos] ${label}: ${parts.join(', ')}`;
}

export interface SoundnessOptions {
  /**
   * Whether a request may go unanswered inside an outage window. Yes when the coordinator itself
   * was killed; no when only its database went away (the coordinator must stay up and answer 503).
   */
  connectionErrorsInOutage: boolean;
}

/** The invariants every chaos suite holds the coordinator to. */
export function expectSound(f: ChaosFigures, options: SoundnessOptions): void {
  const during = f.connectionErrorsDuringOutage;
  const actual = {
    lost: f.lost,
    completedTwice: f.completedTwice,
    wrongOutput: f.wrongOutput,
    // Every task the provider can do ends successful: attempts are plenty (chaosCoordinatorEnv).
    failed: f.failed,
    fiveXxOutsideOutage: f.fiveXx,
    noAnswerOutsideOutage: f.connectionErrors,
    otherFiveXxInOutage: f.otherFiveXxDuringOutage,
    rejected: f.rejected,
    noAnswerInOutage: options.connectionErrorsInOutage ? 0 : during.refused + during.reset + during.timeout,
  };
  const zero = Object.fromEntries(Object.keys(actual).map((k) => [k, 0]));
  expect(actual, f.examples.join('\n')).toEqual(zero);
  // A run that scheduled next to nothing proves nothing (a loaded machine schedules fewer).
  expect(f.scheduled).toBeGreaterThanOrEqual(10);
}
