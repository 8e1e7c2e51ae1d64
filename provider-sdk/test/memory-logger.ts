import type { Logger } from '../src/index.ts';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A Logger that keeps entries in memory, so tests can look at what the SDK said. */
export function createMemoryLogger(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}): Logger & { entries: LogEntry[] } {
  const at =
    (level: LogEntry['level']) =>
    (fieldsOrMsg: object | string, msg?: string): void => {
      if (typeof fieldsOrMsg === 'string') entries.push({ level, msg: fieldsOrMsg, fields: { ...bindings } });
      else entries.push({ level, msg, fields: { ...bindings, ...fieldsOrMsg } });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createMemoryLogger(entries, { ...bindings, ...more }),
  };
}
