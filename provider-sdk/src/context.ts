import type { Logger } from './logger.ts';

/** A file read from the coordinator. */
export interface FileContent {
  bytes: Uint8Array;
  mimeType: string;
  name: string;
}

/** What `writeFile` needs besides the bytes. */
export interface WriteFileOptions {
  mimeType: string;
  /** Shown to whoever downloads the file; default "output". */
  name?: string;
}

/**
 * What a provider's `process(input, ctx)` gets besides the input: who asked, the cancellation
 * signal, and the calls that need the task's lease.
 */
export interface ProviderContext {
  taskId: number;
  /** 1 on the first claim; higher when an earlier holder lost the lease. */
  attempt: number;
  appId: string;
  userId: string | null;
  /**
   * Aborted when the task is cancelled, the lease is lost, or the runner stops past its grace
   * time; `signal.reason` is an `AbortError` whose `kind` says which. Pass it to every HTTP call.
   * Whatever `process` returns or throws after that is discarded.
   */
  signal: AbortSignal;
  /**
   * Reports progress (0..1) and extends the lease. Transient failures are logged, not thrown:
   * progress is advisory. Rejects with `signal.reason` once the task's work was stopped.
   */
  reportProgress(progress: number): Promise<void>;
  /**
   * True when the app asked for partial output (the task's `preferStreaming`): a provider that can
   * produce its answer piece by piece (an LLM's tokens) should then call `stream` as it goes.
   */
  streaming: boolean;
  /**
   * Appends text to the output while the task runs: a string goes to the `output` slot, an object
   * names the Text output slots. Returns at once; the SDK sends what was streamed in batches (a
   * token is not a request) and before the result, so the app sees every piece, in order, before
   * the final output. Does nothing when the app did not ask for streaming, or once `signal`
   * aborted. What is streamed is advisory: the output `process` returns is the result, and it
   * must hold the whole text.
   */
  stream(delta: string | Record<string, string>): void;
  /** Reads an input file (a file id from a file slot). */
  readFile(fileId: number): Promise<FileContent>;
  /** Stores an output file; put the returned id into a file slot of the output. */
  writeFile(bytes: Uint8Array, options: WriteFileOptions): Promise<number>;
  /** Logger with taskId, providerId and attempt bound. */
  logger: Logger;
}
