import { defineProvider, ProcessingError } from '@taskproc/provider-sdk';

// The provider the contract scenario runs (in the test process, with the real SDK): a custom
// task type with a file in and a file out, steered per task by its `instruction` slot.

export const digestType = {
  id: 'contract:digest',
  name: 'Digest a document',
  description: 'Upper-cases a text file and says how many words it has',
  inputShape: {
    document: { name: 'Document', description: 'A UTF-8 text file', type: 'File' },
    instruction: { name: 'Instruction', description: 'plain, fail or hold (tests only)', type: 'Text' },
  },
  outputShape: {
    output: { name: 'Summary', description: 'How many words; streamed when asked', type: 'Text' },
    file: { name: 'Upper-cased', description: 'The document, upper-cased', type: 'File' },
  },
} as const;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** What the test can see of held tasks: when one started, and how its signal aborted. */
export class HeldTasks {
  readonly #started = new Map<number, ReturnType<typeof deferred<void>>>();
  readonly #aborted = new Map<number, ReturnType<typeof deferred<unknown>>>();
  #entry<T>(map: Map<number, ReturnType<typeof deferred<T>>>, id: number) {
    let d = map.get(id);
    if (!d) map.set(id, (d = deferred<T>()));
    return d;
  }
  started(id: number): Promise<void> {
    return this.#entry(this.#started, id).promise;
  }
  /** ctx.signal's reason, once the SDK aborted the task's work. */
  aborted(id: number): Promise<unknown> {
    return this.#entry(this.#aborted, id).promise;
  }
  markStarted(id: number): void {
    this.#entry(this.#started, id).resolve();
  }
  markAborted(id: number, reason: unknown): void {
    this.#entry(this.#aborted, id).resolve(reason);
  }
}

export function digestProvider(held: HeldTasks) {
  return defineProvider({
    id: 'contract:digest',
    name: 'Contract digest',
    taskType: digestType.id,
    expectedRuntime: 1,
    customTaskType: digestType,
    async process(input, ctx) {
      await ctx.reportProgress(0.25);
      const file = await ctx.readFile(input.document);
      const text = new TextDecoder().decode(file.bytes);
      if (input.instruction === 'fail') {
        throw new ProcessingError(`deliberate failure of ${file.name}`, { userFacingMessage: 'This document cannot be digested.' });
      }
      if (input.instruction === 'hold') {
        // Works until cancelled or stopped: the SDK aborts the signal, and what this returns is discarded.
        held.markStarted(ctx.taskId);
        const reason = await new Promise<unknown>((resolve) => {
          if (ctx.signal.aborted) resolve(ctx.signal.reason);
          ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true });
        });
        held.markAborted(ctx.taskId, reason);
        throw reason;
      }
      const words = text.split(/\s+/).filter(Boolean);
      const summary = `${words.length} words`;
      if (ctx.streaming) for (const piece of [`${words.length}`, ' ', 'words']) ctx.stream(piece);
      await ctx.reportProgress(0.75);
      const out = await ctx.writeFile(new TextEncoder().encode(text.toUpperCase()), { mimeType: 'text/plain', name: `upper-${file.name}` });
      return { output: summary, file: out };
    },
  });
}
