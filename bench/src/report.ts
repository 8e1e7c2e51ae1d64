import { mkdirSync, writeFileSync } from 'node:fs';
import type { describeMachine } from './machine.ts';
import type { PeerResult } from './peers/peer-result.ts';
import type { DrainResult } from './scenarios/drain-result.ts';
import type { BenchSettings } from './settings.ts';
import type { LatencySummary } from './stats.ts';
import type { TaskprocResult } from './suites.ts';
import type { TargetCheck } from './targets.ts';

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
  /** Ours on PostgreSQL beside each peer: ours divided by theirs. */
  comparison: Array<{ peer: string; pickupP50Ratio: number; pickupP99Ratio: number; drainRatio: number }>;
  targets: TargetCheck[];
}

/** Writes the report as JSON; returns the path. */
export function writeReport(report: BenchReport, path: URL): string {
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path.pathname;
}

/** Ours on PostgreSQL divided by each peer's figure. */
export function comparePeers(ours: TaskprocResult | undefined, peers: PeerResult[]): BenchReport['comparison'] {
  const bestDrain = ours ? Math.max(...ours.drains.map((d) => d.tasksPerSecond)) : 0;
  const round = (value: number) => Math.round(value * 100) / 100;
  return ours
    ? peers.map((peer) => ({
        peer: peer.name,
        pickupP50Ratio: round(ours.pickup.pickup.p50 / peer.pickup.pickup.p50),
        pickupP99Ratio: round(ours.pickup.pickup.p99 / peer.pickup.pickup.p99),
        drainRatio: round(bestDrain / peer.drain.tasksPerSecond),
      }))
    : [];
}

const latency = (s: LatencySummary) => `${s.p50} / ${s.p90} / ${s.p99} / ${s.max}`;
const count = (n: number) => n.toLocaleString('en');
const rate = (d: DrainResult) => `${count(d.tasksPerSecond)}${d.capped ? ` (capped: ${count(d.done)} of ${count(d.tasks)})` : ''}`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** A latency or rate of ours beside a peer's, saying which is better and by how much. */
function versus(ours: number, theirs: number, higherIsBetter: boolean): string {
  if (ours === theirs) return 'same';
  const oursBetter = higherIsBetter ? ours > theirs : ours < theirs;
  const factor = Math.max(ours, theirs) / Math.max(Math.min(ours, theirs), 1e-9);
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
    row('round trip (schedule -> output in the app)', (r) => latency(r.roundTrip));
    for (const [i, concurrency] of settings.concurrencies.entries()) {
      row(`drain ${count(settings.drainTasks)} at concurrency ${concurrency} (tasks/s)`, (r) => rate(r.drains[i]!));
    }
    row(`mixed at concurrency ${settings.peerConcurrency} (tasks/s)`, (r) => rate(r.mixed));
    row('  app scheduled at (tasks/s); last result after last schedule', (r) => `${count(r.mixed.scheduledPerSecond)}; ${r.mixed.tailMs} ms`);
    row(`pickup with ${count(settings.backlogTasks)} tasks waiting`, (r) => latency(r.backlog.pickup.pickup));
    row('  also waiting: left by capped drains', (r) => count(r.leftByCappedDrains));
    row(`pickup with ${count(settings.parkedPolls)} long-polls parked`, (r) => latency(r.parked.pickup.pickup));
    row('coordinator RSS idle -> parked (MB)', (r) => `${r.parked.rssIdleMb} -> ${r.parked.rssParkedMb}`);
    row('coordinator idle CPU, % of a core (no polls / parked)', (r) => `${r.parked.idleCpu.percentOfOneCore} / ${r.parked.parkedIdleCpu.percentOfOneCore}`);
    out.push(table(rows), '');
  }
  const ours = report.taskproc.find((r) => r.database === 'postgres');
  if (report.peers.length > 0) {
    const oursDrain = ours ? Math.max(...ours.drains.map((d) => d.tasksPerSecond)) : undefined;
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
      `drain (tasks/s; ours: best drain, peers at ${settings.peerConcurrency})`,
      oursDrain,
      (p) => p.drain.tasksPerSecond,
      (p) => rate(p.drain),
      true,
    );
    out.push(table(rows), '');
  }
  out.push('targets (PostgreSQL)');
  for (const t of report.targets) {
    out.push(`  [${t.met === undefined ? 'n/a' : t.met ? 'met' : 'NOT met'}] ${t.target}: ${t.measured}`);
  }
  return out.join('\n');
}
