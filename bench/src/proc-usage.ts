import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resident set size of a process, MB (VmRSS in /proc/<pid>/status). */
export function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 102.4) / 10;
}

// Clock ticks per second of utime/stime in /proc/<pid>/stat (USER_HZ, 100 on nearly every Linux).
let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** User plus system CPU time (utime + stime in /proc/<pid>/stat) a process has used so far, clock ticks. */
function readCpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return utime + stime;
}

/** readCpuTicks for a process that may have exited since it was listed: 0 then. */
function readCpuTicksIfAlive(pid: number): number {
  try {
    return readCpuTicks(pid);
  } catch {
    return 0;
  }
}

/** User plus system CPU time a process has used so far, seconds. */
function readCpuSeconds(pid: number): number {
  return readCpuTicks(pid) / clockTicks();
}

/** CPU used by some processes over a stretch of work, and its cost per task. */
export interface CpuPerTask {
  /** utime + stime used over the stretch, summed over the processes, ms (one clock tick is 1000 / CLK_TCK ms). */
  cpuMs: number;
  /** `cpuMs` over the tasks completed, µs per task. */
  microsPerTask: number;
}

/**
 * Starts counting the CPU of `pids` (utime + stime from /proc/<pid>/stat); `end(tasks)` gives
 * what they used since, per task. The counters advance in clock ticks (1/100 s on nearly every
 * Linux: `getconf CLK_TCK`), so a short stretch has an error of about one tick per process.
 */
export function startCpuCount(pids: readonly number[]): { end(tasks: number): CpuPerTask } {
  const before = pids.map(readCpuTicks);
  return {
    end(tasks) {
      return cpuPerTask(
        pids.reduce((sum, pid, i) => sum + readCpuTicks(pid) - before[i]!, 0),
        tasks,
      );
    },
  };
}

function cpuPerTask(ticks: number, tasks: number): CpuPerTask {
  const micros = (ticks * 1_000_000) / clockTicks();
  return { cpuMs: Math.round(micros / 1_000), microsPerTask: tasks > 0 ? Math.round(micros / tasks) : 0 };
}

/**
 * PostgreSQL's server processes on this machine (postmaster, backends, WAL writer,
 * checkpointer...): those whose /proc/<pid>/cmdline begins with "postgres". Every database of
 * the server is in, so the count is only meaningful while nothing else uses the server.
 */
function postgresServerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').startsWith('postgres')) pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}

/**
 * Like startCpuCount, for the PostgreSQL server on this machine: a backend started while
 * counting (a new connection) counts whole; one that exits meanwhile loses what it used since
 * the start (the pools keep their connections, so that is rare). `skip`: backends left out (the
 * bench's own, polling a peer's table). Undefined when no PostgreSQL process is visible (a
 * server elsewhere, or PGlite inside the coordinator).
 */
export function startPostgresCpuCount(skip: readonly number[] = []): { end(tasks: number): CpuPerTask } | undefined {
  const counted = () => postgresServerPids().filter((pid) => !skip.includes(pid));
  const before = new Map(counted().map((pid) => [pid, readCpuTicksIfAlive(pid)]));
  if (before.size === 0) return undefined;
  return {
    end(tasks) {
      const ticks = counted().reduce((sum, pid) => sum + readCpuTicksIfAlive(pid) - (before.get(pid) ?? 0), 0);
      return cpuPerTask(ticks, tasks);
    },
  };
}

/** CPU a process used over `windowMs` while nothing was asked of it: percent of one core. */
export async function measureIdleCpu(pid: number, windowMs: number): Promise<{ percentOfOneCore: number; cpuMs: number; windowMs: number }> {
  const before = readCpuSeconds(pid);
  await sleep(windowMs);
  const cpuSeconds = readCpuSeconds(pid) - before;
  return {
    percentOfOneCore: Math.round((cpuSeconds / (windowMs / 1_000)) * 1_000) / 10,
    cpuMs: Math.round(cpuSeconds * 1_000),
    windowMs,
  };
}

/**
 * Waits until a process used less than `maxPercent` of a core over a `windowMs` window (it has
 * finished what it was given), at most `timeoutMs`; returns how long that took, ms.
 */
export async function waitUntilQuiet(pid: number, { windowMs = 500, maxPercent = 2, timeoutMs = 30_000 } = {}): Promise<number> {
  const startedAt = Date.now();
  while (Date.now() - startedAt < timeoutMs) {
    const { percentOfOneCore } = await measureIdleCpu(pid, windowMs);
    if (percentOfOneCore < maxPercent) break;
  }
  return Date.now() - startedAt;
}
