import { mkdirSync, writeFileSync } from 'node:fs';
import type { describeMachine } from './machine.ts';
import type { PeerResult } from './peers/peer-result.ts';
import type { DrainResult } from './scenarios/drain-result.ts';
import type { BenchSettings } from './settings.ts';
import type { LatencySummary } from './stats.ts';
import type { TaskprocResult } from './suites.ts';
import type { CpuPerTask } from './proc-usage.ts';
import type { HandoffReading } from './taskproc/metrics.ts';
import { drainAtPeerConcurrency, type TargetCheck } from './targets.ts';

/** Everything a run produced: bench/results/latest.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  machine: ReturnType<typeof describeMachine>;
  versions: Record<string, string>;
  /** Load averages (1, 5, 15 min) when each suite started and ended. */
  suiteLoad: Array<{ suite: string; loadAtStart: number[]; loadAtEnd: number[] }>;
  settings: BenchSettings & { notes: string[] };
  taskproc: TaskprocResult[];
  peers: PeerResult[];
  /** Ours on PostgreSQL beside each peer: ours divided by theirs (drain: ours at the peers' concurrency). */
  comparison: Array<{ peer: string; pickupP50Ratio: number; pickupP99Ratio: number; drainRatio: number }>;
  targets: TargetCheck[];
}

/** Writes the report as JSON; returns the path. */
export function writeReport(report: BenchReport, path: URL): string {
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path.pathname;
}

/** Ours on PostgreSQL divided by each peer's figure; the drain is ours of the same tasks at the same concurrency. */
export function comparePeers(ours: TaskprocResult | undefined, peers: PeerResult[], settings: BenchSettings): BenchReport['comparison'] {
  const drain = ours ? (drainAtPeerConcurrency(ours, settings)?.tasksPerSecond ?? 0) : 0;
  const round = (value: number) => Math.round(value * 100) / 100;
  return ours
    ? peers.map((peer) => ({
        peer: peer.name,
        pickupP50Ratio: round(ours.pickup.pickup.p50 / peer.pickup.pickup.p50),
        pickupP99Ratio: round(ours.pickup.pickup.p99 / peer.pickup.pickup.p99),
        drainRatio: round(drain / peer.drain.tasksPerSecond),
      }))
    : [];
}

const latency = (s: LatencySummary) => `${s.p50} / ${s.p90} / ${s.p99} / ${s.max}`;
const count = (n: number) => n.toLocaleString('en');
const rate = (d: DrainResult) => `${count(d.tasksPerSecond)}${d.capped ? ` (capped: ${count(d.done)} of ${count(d.tasks)})` : ''}`;
const micros = (c: CpuPerTask | undefined) => (c ? count(c.microsPerTask) : '-');
/** A drain's rate and the CPU per task of the coordinator, the provider and the database server. */
const drainCell = (d: DrainResult) =>
  `${rate(d)}; ${micros(d.coordinatorCpu)} / ${micros(d.workerCpu)} / ${micros(d.databaseCpu)} µs` +
  (d.repeatedResults ? `; ${count(d.repeatedResults)} results re-sent` : '');
const handoff = (h: HandoffReading) =>
  'error' in h ? `n/a (${h.error})` : h.share === undefined ? 'n/a (nothing scheduled)' : `${(h.share * 100).toFixed(1)} % (${count(h.handoff)} of ${count(h.handoff + h.queued)})`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** A latency or rate of ours beside a peer's, saying which is better and by how much. */
function versus(ours: number, theirs: number, higherIsBetter: boolean): string {
  if (ours === theirs) return 'same';
  const oursBetter = higherIsBetter ? ours > theirs : ours < theirs;
  // A latency of 0 (the worker heard before the caller had its answer) has no factor.
  if (Math.min(ours, theirs) <= 0) return `taskproc ${oursBetter ? 'better' : 'worse'}`;
  const factor = Math.max(ours, theirs) / Math.min(ours, theirs);
  return `taskproc ${factor.toFixed(1)}x ${oursBetter ? 'better' : 'worse'}`;
}

/** The stdout table. Latencies in ms as p50 / p90 / p99 / max; rates in tasks/s. */
export function formatReport(report: BenchReport): string {
  const { machine, settings } = report;
  const out: string[] = [
    `taskproc bench (${settings.mode}), ${report.startedAt}, ${report.durationSeconds} s`,
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, load at start ${machine.loadAverageAtStart.join(' ')}`,
    `versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `load average (1 min) at start -> end of each suite: ${report.suiteLoad.map((s) => `${s.suite} ${s.loadAtStart[0]} -> ${s.loadAtEnd[0]}`).join(', ')}`,
    '',
  ];
  if (report.taskproc.length > 0) {
    const runs = report.taskproc;
    const rows: string[][] = [['taskproc (latency ms: p50 / p90 / p99 / max)', ...runs.map((r) => r.database)]];
    const row = (label: string, cell: (r: TaskprocResult) => string) => rows.push([label, ...runs.map(cell)]);
    row(`pickup latency, ${settings.samples} samples`, (r) => latency(r.pickup.pickup));
    row('  same, from the schedule call starting', (r) => latency(r.pickup.fromScheduleStart));
    row('  handed off to the parked claim (GET /metrics)', (r) => handoff(r.pickup.handoff));
    row('schedule call (client.schedule, during pickup)', (r) => latency(r.pickup.scheduleCall));
    row('round trip (schedule -> output in the app)', (r) => latency(r.roundTrip));
    for (const [i, concurrency] of settings.concurrencies.entries()) {
      row(`drain ${count(settings.drainTasks)} at concurrency ${concurrency} (tasks/s; CPU/task: coordinator / provider / database)`, (r) => drainCell(r.drains[i]!));
    }
    row(`drain ${count(settings.bigDrainTasks)} at concurrency ${settings.peerConcurrency}`, (r) => drainCell(r.bigDrain));
    row(
      `drain ${count(settings.drainTasks)} via ${settings.replicas} coordinators, ${settings.replicas} x ${settings.replicaProviderConcurrency}`,
      (r) => (r.replicaDrain ? drainCell(r.replicaDrain) : '-'),
    );
    row(`mixed at concurrency ${settings.peerConcurrency} (tasks/s; CPU/task, coordinator's incl. scheduling)`, (r) => drainCell(r.mixed));
    row('  app scheduled at (tasks/s); last result after last schedule', (r) => `${count(r.mixed.scheduledPerSecond)}; ${r.mixed.tailMs} ms`);
    row('  handed off to a parked claim (GET /metrics)', (r) => {
      const h = r.mixed.handoff;
      const counted = 'error' in h ? r.mixed.scheduled : h.handoff + h.queued;
      return `${handoff(h)}${counted === r.mixed.scheduled ? '' : `; the counters saw ${count(counted)} of ${count(r.mixed.scheduled)} scheduled`}`;
    });
    row(`pickup with ${count(settings.backlogTasks)} tasks waiting`, (r) => latency(r.backlog.pickup.pickup));
    row('  also waiting: left by capped drains', (r) => count(r.leftByCappedDrains));
    row(`  same, /metrics and /v1/admin/stats read every ${report.taskproc[0]?.operators.everyMs ?? '?'} ms`, (r) => latency(r.operators.watchedBacklogPickup.pickup));
    row(`GET /v1/admin/stats with ${count(settings.backlogTasks)} waiting`, (r) => latency(r.operators.reads.stats));
    row(`GET /metrics (scrape) with ${count(settings.backlogTasks)} waiting`, (r) => latency(r.operators.reads.scrape));
    row(`drain ${count(settings.drainTasks)} at ${settings.peerConcurrency}, read every ${report.taskproc[0]?.operators.everyMs ?? '?'} ms (reads)`, (r) =>
      `${drainCell(r.operators.watchedDrain)} (${count(r.operators.watchedDrainReads)})`,
    );
    row(`pickup with ${count(settings.parkedPolls)} long-polls parked`, (r) => latency(r.parked.pickup.pickup));
    row(`delta latency, ctx.stream -> app, 1 token per ${settings.streaming.paceMs} ms`, (r) => latency(r.streaming.deltaLatency));
    row('burst stream: tokens/s to the app; delta events/s', (r) => `${count(r.streaming.burst.tokensPerSecond)}; ${count(r.streaming.burst.deltaEventsPerSecond)}`);
    row('cancel -> ctx.signal aborted (control stream)', (r) => `${latency(r.streaming.cancel)} (heartbeat: ${r.streaming.heartbeatIntervalMs} ms)`);
    row('coordinator RSS idle -> parked (MB)', (r) => `${r.parked.rssIdleMb} -> ${r.parked.rssParkedMb}`);
    row('coordinator idle CPU, % of a core (no polls / parked)', (r) => `${r.parked.idleCpu.percentOfOneCore} / ${r.parked.parkedIdleCpu.percentOfOneCore}`);
    out.push(table(rows), '');
  }
  const ours = report.taskproc.find((r) => r.database === 'postgres');
  if (report.peers.length > 0) {
    const oursDrain = ours ? drainAtPeerConcurrency(ours, settings)?.tasksPerSecond : undefined;
    const rows: string[][] = [['beside the peers (same PostgreSQL)', 'taskproc', ...report.peers.map((p) => `${p.name} ${p.version}`)]];
    const row = (label: string, mine: number | undefined, theirs: (p: PeerResult) => number, show: (p: PeerResult) => string, higherIsBetter: boolean) =>
      rows.push([
        label,
        mine === undefined ? '-' : String(mine),
        ...report.peers.map((p) => `${show(p)}${mine === undefined ? '' : ` (${versus(mine, theirs(p), higherIsBetter)})`}`),
      ]);
    const p50 = (p: PeerResult) => p.pickup.pickup.p50;
    const p99 = (p: PeerResult) => p.pickup.pickup.p99;
    row('pickup p50 (ms)', ours?.pickup.pickup.p50, p50, (p) => String(p50(p)), false);
    row('pickup p99 (ms)', ours?.pickup.pickup.p99, p99, (p) => String(p99(p)), false);
    row(
      `drain of ${count(settings.drainTasks)} at ${settings.peerConcurrency} (tasks/s)`,
      oursDrain,
      (p) => p.drain.tasksPerSecond,
      (p) => rate(p.drain),
      true,
    );
    const oursDrainRun = ours ? drainAtPeerConcurrency(ours, settings) : undefined;
    rows.push([
      'CPU per task in that drain (µs: processes running the work / database)',
      oursDrainRun ? `${micros(oursDrainRun.coordinatorCpu)} + ${micros(oursDrainRun.workerCpu)} / ${micros(oursDrainRun.databaseCpu)}` : '-',
      ...report.peers.map((p) => `${micros(p.drain.workerCpu)} / ${micros(p.drain.databaseCpu)}`),
    ]);
    out.push(table(rows), '');
  }
  out.push('targets (issues 12 and 10; older ones last)');
  for (const t of report.targets) {
    out.push(`  [${t.met === undefined ? 'n/a' : t.met ? 'met' : 'NOT met'}] ${t.target}: ${t.measured}`);
  }
  return out.join('\n');
}
