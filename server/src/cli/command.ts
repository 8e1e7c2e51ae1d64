import type { Api } from './api-client.ts';
import type { CliContext } from './cli-context.ts';
import type { ExitCode } from './exit-codes.ts';

export interface OptionDef {
  type: 'string' | 'boolean';
  description: string;
  /** Placeholder of the value in help: `--type <type>`. */
  value?: string;
}
export type OptionsDef = Record<string, OptionDef>;

/** Parsed option values, keyed by the option's name as typed (`custom-id`). */
export type OptionValues<O extends OptionsDef> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export interface PositionalDef {
  name: string;
  description: string;
  required?: boolean;
  /** Takes every remaining argument; only the last positional may. */
  variadic?: boolean;
}

/** Options every API command takes (help lists them once). */
export const apiOptions = {
  url: { type: 'string', value: 'url', description: 'Coordinator URL (env TASKPROC_URL; default http://127.0.0.1:8700)' },
  token: { type: 'string', value: 'token', description: 'Bearer token, admin for most commands (env TASKPROC_TOKEN, which ps does not show)' },
  json: { type: 'boolean', description: "Print the API's JSON instead of a table" },
} as const satisfies OptionsDef;

/** Options the database commands take. */
export const databaseOptions = {
  json: { type: 'boolean', description: 'Print JSON instead of text' },
} as const satisfies OptionsDef;

export interface CommandIo {
  context: CliContext;
  /** The coordinator's API with the URL and token of the call; API commands only. */
  api(): Api;
}

export interface CommandInput<O extends OptionsDef> {
  values: OptionValues<O>;
  positionals: string[];
  io: CommandIo;
}

interface CommandBase {
  /** The words that name it: `task list`. */
  name: string;
  summary: string;
  /** More help lines, after the summary. */
  details?: readonly string[];
  positionals?: readonly PositionalDef[];
}

/** `api`: talks to a running coordinator over HTTP. `database`: opens the database itself (bootstrap). */
export type CommandKind = 'api' | 'database';

export interface Command extends CommandBase {
  kind: CommandKind;
  options: OptionsDef;
  run(input: CommandInput<OptionsDef>): Promise<ExitCode | void>;
}

/** An API command; its own options are typed in `run`, next to --url, --token and --json. */
export function defineApiCommand<const O extends OptionsDef>(
  def: CommandBase & { options?: O; run(input: CommandInput<O & typeof apiOptions>): Promise<ExitCode | void> },
): Command {
  return { ...def, kind: 'api', options: { ...def.options, ...apiOptions } } as unknown as Command;
}

/** A command on the database directly: bootstrap, while no admin token exists. */
export function defineDatabaseCommand<const O extends OptionsDef>(
  def: CommandBase & { options?: O; run(input: CommandInput<O & typeof databaseOptions>): Promise<ExitCode | void> },
): Command {
  return { ...def, kind: 'database', options: { ...def.options, ...databaseOptions } } as unknown as Command;
}
