import type { ArgsDef } from 'citty';
import { UsageError } from './usage-error.ts';

/**
 * citty accepts flags it does not know and ignores extra positionals; for commands that change
 * tokens a typo (`--ap mail`) must not silently do something else, so both are refused.
 * `rawArgs` are the arguments after the command's own name.
 */
export function checkArgs(rawArgs: readonly string[], argsDef: ArgsDef): void {
  const flags = new Map<string, 'string' | 'boolean'>();
  let expectedPositionals = 0;
  for (const [name, def] of Object.entries(argsDef)) {
    if (def.type === 'positional') {
      expectedPositionals++;
      continue;
    }
    const kind = def.type === 'boolean' ? 'boolean' : 'string';
    const aliases = 'alias' in def ? [def.alias ?? []].flat() : [];
    for (const n of [name, ...aliases]) flags.set(n, kind);
    if (kind === 'boolean') flags.set(`no-${name}`, kind);
  }
  const positionals: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === '--') {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const [name = '', inlineValue] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
    const kind = flags.get(name);
    if (!kind) throw new UsageError(`unknown option ${arg.split('=')[0]}`);
    if (kind === 'string' && inlineValue === undefined) {
      const value = rawArgs[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
      i++;
    }
  }
  if (positionals.length > expectedPositionals) {
    throw new UsageError(`unexpected argument: ${positionals.slice(expectedPositionals).join(' ')}`);
  }
}
