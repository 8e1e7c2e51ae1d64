import type { SpawnedProcess } from '../spawn-process.ts';

/**
 * Turns a process that dies on its own into an immediate, named test failure, instead of a
 * timeout half a minute later while the load waits for an answer that cannot come.
 */
export interface ExitWatch {
  /** Watches `proc`: an exit not announced with `expect` fails `guard`. */
  watch(label: string, proc: SpawnedProcess): void;
  /** The next exit of `proc` is deliberate (a kill or a stop by the suite). */
  expect(proc: SpawnedProcess): void;
  /** Settles as `work` does, or rejects as soon as a watched process exits unannounced. */
  guard<T>(work: Promise<T>): Promise<T>;
  /** The unannounced exits so far, as messages. */
  readonly unexpected: readonly string[];
}

export function createExitWatch(): ExitWatch {
  const expected = new Set<SpawnedProcess>();
  const unexpected: string[] = [];
  let fail!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Nobody may be guarding at the moment of the exit; the rejection is kept for the next guard.
  failed.catch(() => {});
  return {
    watch(label, proc) {
      void proc.exited.then(({ code, signal }) => {
        if (expected.has(proc)) return;
        const message = `${label} exited with ${code !== null ? `code ${code}` : `signal ${signal}`}; its output ends:\n${proc.output().slice(-3_000)}`;
        unexpected.push(message);
        fail(new Error(message));
      });
    },
    expect(proc) {
      expected.add(proc);
    },
    guard: (work) => Promise.race([work, failed]),
    unexpected,
  };
}
