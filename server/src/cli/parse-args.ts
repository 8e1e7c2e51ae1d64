import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { int4Max } from '@taskproc/spec';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * The arguments after a command's name, strictly: an unknown option or a missing value is a
 * usage error, never silently ignored (a typo like `--stauts running` must not cancel every task).
 */
export function parseCommandArgs(command: Command, args: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(Object.entries(command.options).map(([name, def]) => [name, { type: def.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(describeParseError(err));
  }
  checkPositionals(command, parsed.positionals);
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

function checkPositionals(command: Command, positionals: readonly string[]): void {
  const defs = command.positionals ?? [];
  const missing = defs.slice(positionals.length).find((p) => p.required);
  if (missing) throw new UsageError(`missing <${missing.name}>`);
  if (!defs.at(-1)?.variadic && positionals.length > defs.length) {
    throw new UsageError(`unexpected argument: ${positionals.slice(defs.length).join(' ')}`);
  }
}

/** node:util's messages are long and multi-line; errors here are one line. */
function describeParseError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `option ${option} takes no value`;
    // `--days -1`: node:util will not take a value starting with "-" unless it is written `--days=-1`.
    if (message.includes('ambiguous')) return `option ${option} needs a value (one starting with "-" is written ${option}=-...)`;
    return `option ${option} needs a value`;
  }
  return message.split('\n')[0]!;
}

/**
 * Checks values against a spec schema (the one the coordinator checks them with), so a bad flag
 * is a usage error naming the flag, before any request. `flags` maps schema fields to flags.
 */
export function parseWithFlags<S extends z.ZodType>(schema: S, input: unknown, flags: Record<string, string>): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  throw new UsageError(`${flags[field] ?? field}: ${issue.message}`);
}

/** A whole number flag within bounds. */
export function parseIntFlag(value: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag}: "${value}" is not a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

/** A row id (task, token): a positive integer, as the API's paths take them. */
export function parseRowId(value: string, what: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > int4Max) {
    throw new UsageError(`"${value}" is not a ${what} id (a positive integer)`);
  }
  return Number(value);
}

/** A positional checked against a spec schema: `<typeId> "x": task type ids are ...`. */
export function parseValue<S extends z.ZodType>(schema: S, value: string, name: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UsageError(`<${name}> "${value}": ${result.error.issues[0]!.message}`);
}
