import { describe, expect, it } from 'vitest';
import type { CliContext } from './cli-context.ts';
import { runCli } from './run-cli.ts';

/** A context whose database must never be opened: usage errors are caught before any work. */
function createContext() {
  const out: string[] = [];
  const err: string[] = [];
  let opened = 0;
  const context: CliContext = {
    openDb: async () => {
      opened++;
      throw new Error('the database must not be opened for a usage error');
    },
    print: (line) => out.push(line),
    printError: (line) => err.push(line),
    now: () => new Date(0),
  };
  return { context, out, err, opened: () => opened };
}

describe('runCli usage errors', () => {
  it.each([
    [['token', 'create', '--role', 'app'], '--app: app and provider tokens need an appId'],
    [['token', 'create', '--role', 'root', '--app', 'mail'], '--role'],
    [['token', 'create', '--app', 'mail'], '--role is required'],
    [['token', 'create', '--role', 'app', '--ap', 'mail'], 'unknown option --ap'],
    [['token', 'create', '--role', 'app', '--app'], 'option --app needs a value'],
    [['token', 'create', '--role', 'app', '--app', 'not an app id!'], '--app: app ids are letters'],
    [['token', 'create', '--role', 'admin', '--app', 'mail'], '--app: admin tokens are bound to no app'],
    [['token', 'create', '--role', 'app', '--app', 'mail', '--name', ''], '--name'],
    [['token', 'revoke', 'seven'], 'not a token id'],
    [['token', 'revoke', '0'], 'not a token id'],
    [['token', 'revoke'], 'Missing required positional argument: ID'],
    [['token', 'revoke', '1', '2'], 'unexpected argument: 2'],
    [['token', 'list', 'extra'], 'unexpected argument: extra'],
    [['token', 'frobnicate'], 'frobnicate'],
    [[], 'No command'],
  ])('refuses %j with exit code 2, the usage and "%s", without opening the database', async (args, message) => {
    const { context, out, err, opened } = createContext();
    expect(await runCli(args, context)).toBe(2);
    const stderr = err.join('\n');
    expect(stderr).toContain(message);
    expect(stderr).toContain('USAGE');
    expect(out).toEqual([]);
    expect(opened()).toBe(0);
  });

  it('prints the usage of the named command for --help, with exit code 0', async () => {
    const { context, out, opened } = createContext();
    expect(await runCli(['token', 'revoke', '--help'], context)).toBe(0);
    expect(out.join('\n')).toContain('token revoke');
    expect(opened()).toBe(0);
  });

  it('reports a failing command with exit code 1 and no usage', async () => {
    const { context, err } = createContext();
    expect(await runCli(['token', 'list'], context)).toBe(1);
    expect(err.join('\n')).toContain('the database must not be opened');
    expect(err.join('\n')).not.toContain('USAGE');
  });
});
