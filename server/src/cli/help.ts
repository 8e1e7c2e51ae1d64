import { apiOptions, type Command, type OptionsDef } from './command.ts';
import { commands, commandsOf, groups } from './commands.ts';
import { exitCodeHelp, exitCodes } from './exit-codes.ts';

/** How a user starts the CLI (the root package's script); `node server/dist/cli.js` is the same. */
export const program = 'npm run cli --';

export function synopsis(command: Command): string {
  const positionals = (command.positionals ?? []).map((p) => {
    const name = p.variadic ? `${p.name}...` : p.name;
    return p.required ? `<${name}>` : `[${name}]`;
  });
  return [program, command.name, ...positionals, '[options]'].join(' ');
}

export function renderRootHelp(): string {
  const api = commands.filter((c) => c.kind === 'api');
  const database = commands.filter((c) => c.kind === 'database');
  return [
    'taskproc: administer a running coordinator through its HTTP API (PGlite or PostgreSQL alike).',
    '',
    `Usage: ${program} <command> [options]      (${program} <command> --help for its options)`,
    '',
    'Commands (HTTP API; --url and --token, or TASKPROC_URL and TASKPROC_TOKEN):',
    ...list(api.map((c) => [c.name, c.summary])),
    '',
    'Bootstrap (on the database directly, not the API; DATA_DIR or DATABASE_URL):',
    ...list(database.map((c) => [c.name, c.summary])),
    '',
    'Options of every API command:',
    ...renderOptions(apiOptions),
    '',
    'Environment: TASKPROC_URL (default http://127.0.0.1:8700), TASKPROC_TOKEN (an admin token; safer',
    'than --token, which other users see in ps). Bootstrap reads DATA_DIR and DATABASE_URL as the',
    'coordinator does.',
    '',
    'Exit codes:',
    ...list(exitCodeHelp.map(([code, name, meaning]) => [String(code), `${name}: ${meaning}`])),
  ].join('\n');
}

export function renderGroupHelp(group: string): string {
  return [
    `${group}: ${groups[group]}`,
    '',
    `Usage: ${program} ${group} <command> [options]`,
    '',
    'Commands:',
    ...list(commandsOf(group).map((c) => [c.name, c.summary])),
  ].join('\n');
}

export function renderCommandHelp(command: Command): string {
  const own = Object.fromEntries(Object.entries(command.options).filter(([name]) => !(command.kind === 'api' && name in apiOptions)));
  const lines = [`Usage: ${synopsis(command)}`, '', command.summary + '.', ...(command.details ?? [])];
  if (command.positionals?.length) lines.push('', 'Arguments:', ...list(command.positionals.map((p) => [p.name, p.description])));
  if (Object.keys(own).length) lines.push('', 'Options:', ...renderOptions(own));
  if (command.kind === 'api') lines.push('', 'API options:', ...renderOptions(apiOptions));
  // A database command never talks to the coordinator: 3 and 4 cannot happen.
  const codes = command.kind === 'api' ? exitCodeHelp : exitCodeHelp.filter(([code]) => code <= exitCodes.usage);
  lines.push('', `Exit codes: ${codes.map(([code, name]) => `${code} ${name}`).join(', ')} (${program} --help says more).`);
  return lines.join('\n');
}

function renderOptions(options: OptionsDef): string[] {
  return list(Object.entries(options).map(([name, def]) => [`--${name}${def.value ? ` <${def.value}>` : ''}`, def.description]));
}

/** Two columns, the second aligned. */
function list(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
