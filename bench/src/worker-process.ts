import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { profileArgs } from '@taskproc/test';
import type { BenchMessage, WorkerMessage } from './messages.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

type MessageOf<K extends WorkerMessage['kind']> = Extract<WorkerMessage, { kind: K }>;

/** A bench worker process with its IPC channel. */
export interface WorkerProcess {
  readonly pid: number;
  /** Resolves with the next message of this kind (or the one already queued). */
  next<K extends WorkerMessage['kind']>(kind: K, timeoutMs?: number): Promise<MessageOf<K>>;
  /** Calls `listener` for every message of this kind from now on (instead of queueing them). */
  on<K extends WorkerMessage['kind']>(kind: K, listener: (message: MessageOf<K>) => void): void;
  /** Sends a message to the worker. */
  send(message: BenchMessage): void;
  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `bench/src/workers/<name>.ts` as its own Node process (through tsx) with an IPC
 * channel. Advanced serialization carries the bigint clock readings as they are. Its stderr is
 * kept (the last 20 kB) for the error raised when it dies or does not answer.
 */
export function startWorker(name: string, env: Record<string, string>): WorkerProcess {
  const entry = `bench/src/workers/${name}.ts`;
  // The workers' own code through tsx; the packages they import (the provider SDK) compiled, as users run them.
  const child: ChildProcess = spawn(process.execPath, [...profileArgs(entry), '--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const queued = new Map<string, WorkerMessage[]>();
  const waiting = new Map<string, Array<(message: WorkerMessage) => void>>();
  const listeners = new Map<string, (message: WorkerMessage) => void>();
  let exited: string | undefined;
  const failures = new Set<(err: Error) => void>();

  child.on('message', (raw) => {
    const message = raw as WorkerMessage;
    if (message.kind === 'error') return fail(new Error(`${name} reported: ${message.message}\n${stderr}`));
    const listener = listeners.get(message.kind);
    if (listener) return listener(message);
    const waiter = waiting.get(message.kind)?.shift();
    if (waiter) return waiter(message);
    queued.set(message.kind, [...(queued.get(message.kind) ?? []), message]);
  });
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `${name} exited (${code ?? signal})`;
      fail(new Error(`${exited}; stderr:\n${stderr}`));
      resolve();
    }),
  );
  function fail(err: Error): void {
    for (const reject of failures) reject(err);
    failures.clear();
  }

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    next(kind, timeoutMs = 60_000) {
      const early = queued.get(kind)?.shift();
      if (early) return Promise.resolve(early as never);
      if (exited) return Promise.reject(new Error(`${exited}; stderr:\n${stderr}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          failures.delete(onFail);
          reject(new Error(`${name}: no "${kind}" message within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        const onFail = (err: Error) => {
          clearTimeout(timer);
          reject(err);
        };
        failures.add(onFail);
        waiting.set(kind, [
          ...(waiting.get(kind) ?? []),
          (message) => {
            clearTimeout(timer);
            failures.delete(onFail);
            resolve(message as never);
          },
        ]);
      });
    },
    on(kind, listener) {
      listeners.set(kind, listener as (message: WorkerMessage) => void);
    },
    send(message) {
      if (exited) throw new Error(`${exited}; stderr:\n${stderr}`);
      child.send(message);
    },
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        failures.clear();
        if (exited) return;
        // Exiting on request is not a failure: nobody waits for messages any more.
        child.removeAllListeners('message');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
