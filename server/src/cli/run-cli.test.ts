import { describe, expect, it } from 'vitest';
import type { CliContext } from './cli-context.ts';
import { runCli } from './run-cli.ts';

/**
 * A context in which nothing may be reached: usage errors are caught before any request or
 * database work, and this proves it.
 */
function createContext(env: CliContext['env'] = { TASKPROC_TOKEN: 'tp_x' }) {
  const out: string[] = [];
  const err: string[] = [];
  let calls = 0;
  const context: CliContext = {
    env,
    fetch: async () => {
      calls++;
      throw new Error('no request may be sent for a usage error');
    },
    openDb: async () => {
      calls++;
      throw new Error('the database must not be opened for a usage error');
    },
    print: (line) => out.push(line),
    printError: (line) => err.push(line),
    progress: { isTTY: false, write: () => {} },
    now: () => new Date(0),
  };
  return { context, out, err, calls: () => calls };
}

describe('runCli usage errors', () => {
  it.each([
    [['token', 'create', '--role', 'app'], '--app: app and provider tokens need an appId'],
    [['token', 'create', '--role', 'root', '--app', 'mail'], '--role'],
    [['token', 'create', '--app', 'mail'], '--role is required'],
    [['token', 'create', '--role', 'app', '--ap', 'mail'], 'unknown option --ap'],
    [['token', 'create', '--role', 'app', '--app'], 'option --app needs a value'],
    [['token', 'create', '--role', 'app', '--app', '--name', 'x'], 'option --app needs a value'],
    [['token', 'create', '--role', 'app', '--app', 'not an app id!'], '--app: app ids are letters'],
    [['token', 'create', '--role', 'admin', '--app', 'mail'], '--app: admin tokens are bound to no app'],
    [['token', 'create', '--role', 'app', '--app', 'mail', '--name', ''], '--name'],
    [['token', 'list', '--json=yes'], 'option --json takes no value'],
    [['token', 'revoke', 'seven'], 'not a token id'],
    [['token', 'revoke', '0'], 'not a token id'],
    [['token', 'revoke'], 'missing <id>'],
    [['token', 'revoke', '1', '2'], 'unexpected argument: 2'],
    [['token', 'list', 'extra'], 'unexpected argument: extra'],
    [['token', 'frobnicate'], 'unknown command: token frobnicate'],
    [['token'], 'which token command?'],
    [['frobnicate'], 'unknown command: frobnicate'],
    [['--json', 'task', 'list'], 'the command comes first'],
    [[], 'no command'],
    [['task', 'list', '--status', 'done'], '--status: Invalid option'],
    [['task', 'list', '--type', 'summary'], '--type: task type ids look like'],
    [['task', 'list', '--limit', '0'], '--limit: "0" is not a whole number'],
    [['task', 'list', '--all', '--limit', '5'], '--all and --limit exclude each other'],
    [['task', 'get', '1.5'], 'not a task id'],
    [['task', 'cancel'], '--status scheduled or --status running is required'],
    [['task', 'cancel', '--status', 'failed'], '--status scheduled or --status running is required'],
    [['task', 'cancel', '3', '--status', 'scheduled'], 'not both'],
    [['task', 'delete', '--type', 'core:text2text'], '--status is required'],
    [['provider', 'delete', 'not a provider'], '<providerId> "not a provider": provider ids are'],
    [['type', 'get', 'summary'], '<typeId> "summary": task type ids look like'],
    [['type', 'prefer', 'core:text2text'], 'name the providers in order, or --clear'],
    [['type', 'prefer', 'core:text2text', 'a', '--clear'], 'name the providers in order, or --clear'],
    [['stats', '--window', '10'], '--window: "10" is not a whole number from 60 to 604800'],
    [['cleanup', '--days', '-1'], 'option --days needs a value (one starting with "-" is written --days=-...)'],
    [['cleanup', '--days=-1'], '--days: "-1" is not a whole number from 0 to 36500'],
    [['cleanup', '--days', 'x'], '--days: "x" is not a whole number'],
    [['task', 'list', '--url', 'ftp://host'], '--url: "ftp://host" is not an http(s) URL'],
    [['bootstrap', 'admin-token', '--name', ''], '--name'],
    [['bootstrap', 'admin-token', '--token', 'x'], 'unknown option --token'],
  ])('refuses %j with exit code 2 and "%s" on stderr, sending nothing', async (args, message) => {
    const { context, out, err, calls } = createContext();
    expect(await runCli(args, context)).toBe(2);
    expect(err[0]).toContain('error: ');
    expect(err.join('\n')).toContain(message);
    expect(out).toEqual([]);
    expect(calls()).toBe(0);
  });

  it('refuses an API command without a token (flag or TASKPROC_TOKEN) with exit code 2', async () => {
    const { context, err, calls } = createContext({});
    expect(await runCli(['token', 'list'], context)).toBe(2);
    expect(err[0]).toBe('error: no token: pass --token or set TASKPROC_TOKEN (an admin token for most commands)');
    expect(calls()).toBe(0);
  });

  it('names the environment variable when TASKPROC_URL is bad', async () => {
    const { context, err } = createContext({ TASKPROC_TOKEN: 'x', TASKPROC_URL: 'not a url' });
    expect(await runCli(['stats'], context)).toBe(2);
    expect(err[0]).toBe('error: TASKPROC_URL: "not a url" is not a URL');
  });

  it('adds the synopsis of the command at fault', async () => {
    const { context, err } = createContext();
    await runCli(['task', 'cancel', 'x'], context);
    expect(err).toEqual(['error: "x" is not a task id (a positive integer)', expect.stringContaining('Usage: npm run cli -- task cancel [id...] [options]')]);
  });
});

describe('runCli help', () => {
  it('prints the root help with every command, the environment and the exit codes, exit code 0', async () => {
    const { context, out, calls } = createContext();
    expect(await runCli(['--help'], context)).toBe(0);
    const help = out.join('\n');
    for (const command of ['token create', 'task cancel', 'provider list', 'type prefer', 'stats', 'cleanup', 'bootstrap admin-token']) {
      expect(help).toContain(`  ${command} `);
    }
    expect(help).toContain('TASKPROC_URL');
    expect(help).toMatch(/^ {2}3 {2}unreachable: /m);
    expect(help).toMatch(/^ {2}4 {2}not found: /m);
    expect(calls()).toBe(0);
  });

  it('prints the help of a group and of a command, wherever --help is', async () => {
    const group = createContext();
    expect(await runCli(['type', '--help'], group.context)).toBe(0);
    expect(group.out.join('\n')).toContain('type enable');

    const command = createContext();
    expect(await runCli(['task', 'cancel', '7', '--status', 'x', '-h'], command.context)).toBe(0);
    const help = command.out.join('\n');
    expect(help).toContain('Usage: npm run cli -- task cancel [id...] [options]');
    expect(help).toContain('--status <status>');
    expect(help).toContain('--token <token>');
    expect(help).toContain('Exit codes: 0 ok, 1 error, 2 usage, 3 unreachable, 4 not found');
  });

  it('says bootstrap works on the database, not the API', async () => {
    const { context, out } = createContext();
    expect(await runCli(['bootstrap', 'admin-token', '--help'], context)).toBe(0);
    const help = out.join('\n');
    expect(help).toContain('DATA_DIR');
    expect(help).not.toContain('--url');
  });
});

describe('runCli failures', () => {
  it('reports a bug-free failure of the database with exit code 1 and one line', async () => {
    const { context, err } = createContext();
    context.openDb = async () => {
      throw new (await import('./usage-error.ts')).CommandError('./data is in use by another coordinator (pid 1)');
    };
    expect(await runCli(['bootstrap', 'admin-token'], context)).toBe(1);
    expect(err).toEqual(['error: ./data is in use by another coordinator (pid 1)']);
  });

  it('turns a refused connection into exit code 3, naming the coordinator', async () => {
    const { context, err } = createContext({ TASKPROC_TOKEN: 'x', TASKPROC_URL: 'http://127.0.0.1:9' });
    context.fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    };
    expect(await runCli(['provider', 'list'], context)).toBe(3);
    expect(err).toEqual(['error: cannot reach the coordinator at http://127.0.0.1:9: GET /v1/providers failed: fetch failed: connect ECONNREFUSED 127.0.0.1:9']);
  });

  it('prints the problem of a 503 on one line with exit code 3, and of a 404 with exit code 4', async () => {
    const problem = (status: number, code: string, detail: string) =>
      new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, detail }), {
        status,
        headers: { 'content-type': 'application/problem+json' },
      });
    const unavailable = createContext();
    unavailable.context.fetch = async () => problem(503, 'database_unavailable', 'the database\nis unreachable');
    expect(await runCli(['stats'], unavailable.context)).toBe(3);
    expect(unavailable.err).toEqual(['error: 503 database_unavailable: the database is unreachable']);

    const missing = createContext();
    missing.context.fetch = async () => problem(404, 'not_found', 'task 9 not found');
    expect(await runCli(['task', 'get', '9'], missing.context)).toBe(4);
    expect(missing.err).toEqual(['error: 404 not_found: task 9 not found']);
  });

  it('refuses an answer that does not fit the route contract (another protocol version) with exit code 1', async () => {
    const { context, err } = createContext();
    context.fetch = async () => Response.json({ tokens: [{ id: 'one' }] });
    expect(await runCli(['token', 'list'], context)).toBe(1);
    expect(err[0]).toMatch(/^error: GET \/v1\/admin\/tokens: unexpected answer from the coordinator \(tokens\.0\.id: /);
  });
});
