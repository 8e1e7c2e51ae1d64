import { mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process per embedded database directory. PGlite is single-process: a second one on the
 * same files corrupts them, and PGlite's own postmaster.pid is removed by whichever process
 * closes first, so it cannot serve as the guard. The lock file holds the owner's pid; a lock
 * whose pid is dead (the owner was killed) is taken over, a live one is refused with its pid.
 */
export interface DataDirLock {
  /** Removes the lock file if it is still ours; never another process's. Safe to call twice. */
  release(): void;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface LockContent {
  pid: number;
  /** What holds it: "coordinator", "cli", for the message a second process prints. */
  holder: string;
  since: string;
  /** Tells our lock apart from a later one of a recycled pid. */
  nonce: string;
}

export function lockDataDir(dataDir: string, holder: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'taskproc.lock');
  const mine: LockContent = { pid: process.pid, holder, since: new Date().toISOString(), nonce: Math.random().toString(36).slice(2) };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify(mine));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
    const text = readText(path);
    const other = parse(text);
    if (other && isAlive(other.pid)) {
      throw new DataDirLockedError(
        `${dataDir} is in use by another ${other.holder} (pid ${other.pid}, since ${other.since}); ` +
          'the embedded database allows one process at a time. Stop it first, or use the HTTP admin API.',
      );
    }
    // The owner died without releasing (SIGKILL, power loss), or the file was half-written.
    // Move it aside only if it is still the file we judged: another process may have taken it over.
    if (text !== undefined && readText(path) === text) {
      try {
        renameSync(path, `${path}.stale-${process.pid}`);
        rmSync(`${path}.stale-${process.pid}`, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const current = parse(readText(path));
      if (current?.pid === mine.pid && current.nonce === mine.nonce) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing of ours is left to remove.
        }
      }
    },
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(text: string | undefined): LockContent | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0 ? (value as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence without touching the process; EPERM means it exists but is not ours. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
