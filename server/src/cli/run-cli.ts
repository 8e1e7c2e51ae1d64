import { TaskprocError } from '@taskproc/spec';
import { createApi, resolveConnection, type Api } from './api-client.ts';
import type { CliContext } from './cli-context.ts';
import type { Command, CommandInput, CommandIo, OptionsDef } from './command.ts';
import { findCommand, groups } from './commands.ts';
import { exitCodeFor, exitCodes, type ExitCode } from './exit-codes.ts';
import { program, renderCommandHelp, renderGroupHelp, renderRootHelp, synopsis } from './help.ts';
import { parseCommandArgs } from './parse-args.ts';
import { CommandError, UsageError } from './usage-error.ts';

export type { ExitCode } from './exit-codes.ts';

/**
 * Runs the CLI and returns its exit code; never exits the process itself (the entry point does).
 * Errors are one line on stderr: the API's problem as "status code: detail", or what else went
 * wrong; a usage error adds the synopsis of the command at fault.
 */
export async function runCli(args: readonly string[], context: CliContext): Promise<ExitCode> {
  const found = findCommand(args);
  const wantsHelp = helpRequested(found ? found.rest : args);
  if (!found) {
    const group = args[0] !== undefined && Object.hasOwn(groups, args[0]) ? args[0] : undefined;
    const help = group ? renderGroupHelp(group) : renderRootHelp();
    if (wantsHelp) {
      context.print(help);
      return exitCodes.ok;
    }
    if (args.length === 0) return usage(context, 'no command', help);
    if (group) return usage(context, args.length === 1 ? `which ${group} command?` : `unknown command: ${group} ${args[1]}`, help);
    if (args[0]!.startsWith('-')) return usage(context, `the command comes first: ${program} <command> [options]`, `Commands: ${program} --help`);
    return usage(context, `unknown command: ${args[0]}`, `Commands: ${program} --help`);
  }
  const { command, rest } = found;
  if (wantsHelp) {
    context.print(renderCommandHelp(command));
    return exitCodes.ok;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    const io = createIo(command, values, context);
    // The values fit the command's own option types: they were parsed with its option table.
    return (await command.run({ values: values as CommandInput<OptionsDef>['values'], positionals, io })) ?? exitCodes.ok;
  } catch (err) {
    if (err instanceof UsageError) return usage(context, err.message, `Usage: ${synopsis(command)}    (--help for more)`);
    context.printError(`error: ${describeError(err)}`);
    return exitCodeFor(err);
  }
}

/** -h or --help among the options (not after `--`, where it would be a value). */
function helpRequested(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function usage(context: CliContext, message: string, hint: string): ExitCode {
  context.printError(`error: ${message}`);
  context.printError(hint);
  return exitCodes.usage;
}

/** The API's connection is resolved before the command runs: a missing token is a usage error, before any work. */
function createIo(command: Command, values: Record<string, unknown>, context: CliContext): CommandIo {
  let api: Api | undefined;
  if (command.kind === 'api') {
    const connection = resolveConnection({ url: values.url as string | undefined, token: values.token as string | undefined }, context.env);
    api = createApi(connection, context.fetch);
  }
  return {
    context,
    api() {
      if (!api) throw new Error(`${command.name} is not an API command`);
      return api;
    },
  };
}

/**
 * One line: the API's problem ("401 unauthorized: ..."; a detail may hold newlines), or what
 * else went wrong. Errors of unknown kind are bugs: their stack is worth the lines.
 */
function describeError(err: unknown): string {
  if (err instanceof TaskprocError || err instanceof CommandError) return err.message.replace(/\s*\n\s*/g, ' ');
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
