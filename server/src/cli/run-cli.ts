import { defineCommand, renderUsage, runCommand, type CommandDef } from 'citty';
import type { CliContext } from './cli-context.ts';
import { createTokenCommand } from './token-commands.ts';
import { CommandError, UsageError } from './usage-error.ts';

/** Exit codes: 0 done, 1 the command failed, 2 it was called wrongly (bad or missing flags). */
export type ExitCode = 0 | 1 | 2;

/** The command tree; `npm run cli -- <command>`. */
export function createCliCommand(context: CliContext): CommandDef {
  return defineCommand({
    meta: { name: 'taskproc', description: 'taskproc coordinator administration (works on the coordinator\'s database)' },
    subCommands: { token: createTokenCommand(context) },
  });
}

/**
 * Runs the CLI and returns its exit code; never exits the process itself (the entry point does).
 * Usage mistakes print the error and the usage of the command at fault on stderr.
 */
export async function runCli(rawArgs: string[], context: CliContext): Promise<ExitCode> {
  const root = createCliCommand(context);
  if (rawArgs.includes('--help') || rawArgs.includes('-h')) {
    const [command, parent] = await resolveCommand(root, rawArgs);
    context.print(await renderUsage(command, parent));
    return 0;
  }
  try {
    await runCommand(root, { rawArgs });
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && err.name === 'CLIError')) {
      const [command, parent] = await resolveCommand(root, rawArgs);
      context.printError(await renderUsage(command, parent));
      context.printError('');
      context.printError(`error: ${err.message}`);
      return 2;
    }
    if (err instanceof CommandError) {
      context.printError(`error: ${err.message}`);
      return 1;
    }
    context.printError(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

/** The deepest command named by the leading words of `rawArgs`, with its parent (for usage). */
async function resolveCommand(root: CommandDef, rawArgs: string[]): Promise<[CommandDef, CommandDef | undefined]> {
  let command = root;
  let parent: CommandDef | undefined;
  for (const word of rawArgs) {
    if (word.startsWith('-')) continue;
    const subCommands = await resolve(command.subCommands);
    const next = subCommands?.[word];
    if (!next) break;
    parent = command;
    command = await resolve(next);
  }
  return [command, parent];
}

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value;
}
