import type { LlamaContext, LlamaContextSequence } from 'node-llama-cpp';

/** A sequence lent to one generation; `index` tells the parallel slots apart in the logs. */
export interface LentSequence {
  sequence: LlamaContextSequence;
  index: number;
}

export interface SequencePool {
  /** A free sequence; waits for one when all are lent (the runner's concurrency normally prevents that). */
  acquire(signal: AbortSignal): Promise<LentSequence>;
  release(lent: LentSequence): void;
}

/**
 * The context's sequences, each lent to one generation at a time. They are taken once, at start:
 * a sequence keeps its evaluated tokens, so the next generation on it reuses a common prefix
 * (the same instructions) instead of evaluating it again.
 */
export function createSequencePool(context: LlamaContext, count: number): SequencePool {
  const free: LentSequence[] = Array.from({ length: count }, (_, index) => ({ sequence: context.getSequence(), index }));
  const waiting: Array<(lent: LentSequence) => void> = [];
  return {
    acquire(signal) {
      signal.throwIfAborted();
      const lent = free.shift();
      if (lent) return Promise.resolve(lent);
      return new Promise((resolve, reject) => {
        const take = (l: LentSequence) => {
          signal.removeEventListener('abort', onAbort);
          resolve(l);
        };
        const onAbort = () => {
          const at = waiting.indexOf(take);
          if (at >= 0) waiting.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.push(take);
      });
    },
    release(lent) {
      const next = waiting.shift();
      if (next) next(lent);
      else free.push(lent);
    },
  };
}
