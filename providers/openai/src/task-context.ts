import { setTimeout as delay } from 'node:timers/promises';
import type OpenAI from 'openai';
import type { OpenAiProviderConfig } from './config.ts';

/** The logging the task handlers do; pino's logger and the SDK's `ctx.logger` satisfy it. */
export interface TaskLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** A file read from the coordinator for the task. */
export interface TaskFile {
  bytes: Uint8Array;
  mimeType: string;
  name: string;
}

/**
 * The part of the SDK's task context the handlers use. Narrower than `ProviderContext` so
 * tests can hand in a fake with in-memory files.
 */
export interface TaskContext {
  /** Aborted when the task is cancelled or the process stops: passed to every HTTP request. */
  signal: AbortSignal;
  reportProgress(progress: number): Promise<void>;
  readFile(fileId: number): Promise<TaskFile>;
  writeFile(bytes: Uint8Array, meta: { mimeType: string; name?: string }): Promise<number>;
  logger: TaskLogger;
  /** The app asked for partial output (the SDK's ctx.streaming). */
  streaming?: boolean;
  /** Appends text to the `output` slot while the task runs (the SDK's ctx.stream). */
  stream?(text: string): void;
}

/** Waits `ms`, rejecting at once when `signal` aborts. Injected so tests can assert delays without waiting. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** What every task handler needs besides its input and context. */
export interface OpenAiDeps {
  client: OpenAI;
  config: OpenAiProviderConfig;
  sleep: Sleep;
  /** Jitter source for retry backoff, in [0, 1). */
  random: () => number;
  /** Clock for Retry-After given as an HTTP date. */
  now: () => number;
}

/** The real sleep: a timer that an abort cancels. */
export const sleepAbortably: Sleep = (ms, signal) => delay(ms, undefined, { signal });
