import { cleanup } from './api/cleanup.ts';
import { providerDelete, providerList } from './api/providers.ts';
import { stats } from './api/stats.ts';
import { taskCancel, taskDelete } from './api/task-bulk.ts';
import { typeDisable, typeEnable, typeGet, typeList, typePrefer } from './api/task-types.ts';
import { taskGet, taskList } from './api/tasks.ts';
import { tokenCreate, tokenList, tokenRevoke } from './api/tokens.ts';
import { bootstrapAdminToken } from './bootstrap.ts';
import type { Command } from './command.ts';

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [
  tokenCreate,
  tokenList,
  tokenRevoke,
  taskList,
  taskGet,
  taskCancel,
  taskDelete,
  providerList,
  providerDelete,
  typeList,
  typeGet,
  typeEnable,
  typeDisable,
  typePrefer,
  stats,
  cleanup,
  bootstrapAdminToken,
];

/** The first word of several commands, with what the group is about (for `task --help`). */
export const groups: Readonly<Record<string, string>> = {
  token: 'API tokens',
  task: 'Tasks of every app',
  provider: 'Registered providers',
  type: 'Task type settings',
  bootstrap: 'On the database directly, for the first admin token',
};

export function commandsOf(group: string): Command[] {
  return commands.filter((c) => c.name.split(' ')[0] === group);
}

/** The command `args` start with, and the arguments after its name. */
export function findCommand(args: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => args[i] === word)) return { command, rest: args.slice(words.length) };
  }
  return undefined;
}
