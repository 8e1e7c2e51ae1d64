import { AbortError, type AbortKind } from '@taskproc/spec';
import type { FileContent, ProviderContext } from './context.ts';
import type { Logger } from './logger.ts';

export interface MockContextOptions {
  taskId?: number;
  attempt?: number;
  appId?: string;
  userId?: string | null;
  /** The task's preferStreaming (ctx.streaming); default false, as for a task that did not ask. Pass true to record `stream` calls. */
  streaming?: boolean;
  /** Input files by id, for `readFile`. */
  files?: Record<number, FileContent>;
  logger?: Logger;
}

/** A context for unit-testing a handler, with what it did recorded. */
export interface MockProviderContext extends ProviderContext {
  /** Every value passed to `reportProgress`, in order. */
  readonly progress: number[];
  /** Every delta passed to `stream`, as slot -> text, in order. */
  readonly streamed: Array<Record<string, string>>;
  /** Files the handler wrote, by the id `writeFile` returned. */
  readonly writtenFiles: Map<number, FileContent>;
  /** Aborts `signal` as the runner would (`cancelled` by default). */
  abort(kind?: AbortKind): void;
}

const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/**
 * The SDK's `ProviderContext` without a coordinator, like Temporal's MockActivityEnvironment:
 * call `provider.process(input, ctx)` in a unit test and look at `progress` and `writtenFiles`.
 */
export function createMockContext(options: MockContextOptions = {}): MockProviderContext {
  const controller = new AbortController();
  const progress: number[] = [];
  const streamed: Array<Record<string, string>> = [];
  const streaming = options.streaming ?? false;
  const writtenFiles = new Map<number, FileContent>();
  const files = new Map(Object.entries(options.files ?? {}).map(([id, file]) => [Number(id), file]));
  let nextFileId = Math.max(1000, ...files.keys()) + 1;
  const taskId = options.taskId ?? 1;
  return {
    taskId,
    attempt: options.attempt ?? 1,
    appId: options.appId ?? 'test',
    userId: options.userId ?? null,
    signal: controller.signal,
    logger: options.logger ?? silentLogger,
    progress,
    streamed,
    streaming,
    writtenFiles,
    stream(delta) {
      if (!streaming || controller.signal.aborted) return;
      streamed.push(typeof delta === 'string' ? { output: delta } : { ...delta });
    },
    async reportProgress(value) {
      controller.signal.throwIfAborted();
      if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`progress must be 0..1, got ${value}`);
      progress.push(value);
    },
    async readFile(fileId) {
      controller.signal.throwIfAborted();
      const file = files.get(fileId) ?? writtenFiles.get(fileId);
      if (!file) throw new Error(`mock context: no file ${fileId}`);
      return file;
    },
    async writeFile(bytes, { mimeType, name }) {
      controller.signal.throwIfAborted();
      const id = nextFileId++;
      writtenFiles.set(id, { bytes, mimeType, name: name ?? 'output' });
      return id;
    },
    abort(kind = 'cancelled') {
      controller.abort(new AbortError(`Task ${taskId} aborted (${kind})`, { kind }));
    },
  };
}
