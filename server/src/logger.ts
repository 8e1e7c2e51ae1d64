import pino, { type Logger } from 'pino';

/** Structured JSON logs on stderr, so stdout stays for what a person must read (the bootstrap token). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'taskproc' } }, pino.destination(2));
}
