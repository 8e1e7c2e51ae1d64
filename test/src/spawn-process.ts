import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the exit; SIGKILL after `graceMs`. Safe to call twice. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts an entry point of this repository as a real Node process: a `.ts` one through tsx, a `.js` one with plain node. */
export function spawnTsProcess(entry: string, env: Record<string, string>, args: string[] = []): SpawnedProcess {
  const child = spawn(process.execPath, [...profileArgs(entry), ...runArgs(entry), entry, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const lineWaiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  let stdoutBuffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    stdoutBuffer += chunk;
    const lines = stdoutBuffer.split('\n');
    stdoutBuffer = lines.pop() ?? '';
    for (const line of lines) {
      for (const w of [...lineWaiters]) {
        const m = line.match(w.pattern);
        if (m) {
          lineWaiters.splice(lineWaiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    // TASKPROC_TEST_VERBOSE=1 shows what the spawned processes log, to debug a failing test.
    if (process.env.TASKPROC_TEST_VERBOSE) process.stderr.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stopping: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  return {
    child,
    output: () => out,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern} from ${entry}; output:\n${out}`)),
          timeoutMs,
        );
        const done = (m: RegExpMatchArray) => {
          clearTimeout(timer);
          resolve(m);
        };
        lineWaiters.push({ pattern, resolve: done });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`${entry} exited (${code ?? signal}) before printing ${pattern}; output:\n${out}`));
        });
      });
    },
    stop(signal = 'SIGTERM', graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          const result = await exited;
          clearTimeout(timer);
          return result;
        }
        return exited;
      })();
      return stopping;
    },
  };
}

/**
 * TASKPROC_CPU_PROFILE_DIR=<dir> makes every spawned process whose entry contains
 * TASKPROC_CPU_PROFILE_ENTRY (default the coordinator, server/src/main.ts) write a V8 CPU profile
 * there when it exits: how the bench's "next bottleneck" is found.
 */
export function profileArgs(entry: string): string[] {
  const dir = process.env.TASKPROC_CPU_PROFILE_DIR;
  if (!dir || !entry.includes(process.env.TASKPROC_CPU_PROFILE_ENTRY ?? 'server/src/main.ts')) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/**
 * How an entry point runs: a TypeScript source through tsx, resolving the workspace packages to
 * their sources (the `@taskproc/source` export condition), or a compiled `.js` as it is, with
 * plain node resolving them to their builds, as a user runs it.
 */
export function runArgs(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--conditions=@taskproc/source', '--import', 'tsx'] : [];
}
