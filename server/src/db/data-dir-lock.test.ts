import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskproc-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (a fresh one, so it is not recycled yet). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const lockFile = (dir: string) => join(dir, 'taskproc.lock');
const writeLock = (dir: string, pid: number) =>
  writeFileSync(lockFile(dir), JSON.stringify({ pid, holder: 'coordinator', since: '2026-01-01T00:00:00.000Z', nonce: 'x' }));

describe('data directory lock', () => {
  it('is taken, refused to a second holder with the first one named, and free again after release', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, 'coordinator');
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8')).pid).toBe(process.pid);
    expect(() => lockDataDir(dir, 'cli')).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir, 'cli')).toThrow(`in use by another coordinator (pid ${process.pid}`);
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
    lockDataDir(dir, 'cli').release();
  });

  it('refuses a lock whose process is alive', () => {
    const dir = freshDir();
    writeLock(dir, process.ppid);
    expect(() => lockDataDir(dir, 'coordinator')).toThrow(`pid ${process.ppid}`);
  });

  it('takes over the lock of a process that died without releasing it', () => {
    const dir = freshDir();
    writeLock(dir, deadPid());
    const lock = lockDataDir(dir, 'coordinator');
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock file that is not a lock (half-written)', () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), '{"pi');
    lockDataDir(dir, 'coordinator').release();
  });

  it('never removes a lock another process took over meanwhile', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, 'coordinator');
    writeLock(dir, process.ppid);
    lock.release();
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8')).pid).toBe(process.ppid);
  });
});
