import { pino } from 'pino';

/** One log method, as pino has them: an object of fields and a message, or just a message. */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/** The logging the SDK does: pino's `Logger` satisfies it, and so can any small adapter. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * The default logger: JSON lines on stderr, so a provider's stdout stays free for its own output.
 * Level from the `level` argument (the example provider passes LOG_LEVEL).
 */
export function createDefaultLogger(level = 'info'): Logger {
  return pino({ name: 'taskproc-provider', level }, pino.destination(2));
}
