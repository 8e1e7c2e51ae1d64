import { beforeAll, describe, expect, it } from 'vitest';
import { CleanupResult, QueueStats } from '@taskproc/spec';
import { freePort } from '../src/chaos/free-port.ts';
import {
  createHttp,
  describeEachDatabase,
  registerProvider,
  spawnTsProcess,
  startCoordinator,
  testProviderDescriptor,
  tokenClient,
  useCoordinator,
  type Http,
} from '../src/index.ts';

// `npm run cli -- ...` as its own process, against a real coordinator on each database: every
// command, its table and its --json, and its exit code. Bad flags are covered in process
// (server/src/cli/run-cli.test.ts); here the entry point proves them once.

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const summary = 'core:text2text:summary';

/** Tasks without completionExpectedAt, which the coordinator estimates anew on every read. */
function stable(body: any): any {
  const strip = ({ completionExpectedAt: _, ...task }: any) => task;
  return body.tasks ? { ...body, tasks: body.tasks.map(strip) } : strip(body);
}
/** A custom type no process serves: its tasks stay scheduled until the CLI acts on them. */
const bulkType = 'acme:bulk';

describeEachDatabase('cli', (kind) => {
  // The setup's lease and its providers' last contact must outlast the file, which takes two
  // minutes on a loaded machine: the provider and stats views expect that task still running and
  // those providers live, long after the setup claimed and registered.
  const fx = useCoordinator(kind, { TASKPROC_LEASE_MS: '3600000', TASKPROC_PROVIDER_LIVENESS_MS: '3600000' });
  let provider: Http;
  let mail: Http;
  /** Task ids by what the setup made of them. */
  const tasks = { running: 0, successful: 0, scheduled: [] as number[] };

  /** The CLI with the coordinator's URL and admin token in the environment, unless `env` says otherwise. */
  async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    const proc = spawnTsProcess('server/src/cli.ts', { TASKPROC_URL: fx.coordinator.url, TASKPROC_TOKEN: fx.coordinator.adminToken, ...env }, args);
    let stdout = '';
    let stderr = '';
    proc.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
    proc.child.stderr!.on('data', (chunk: string) => (stderr += chunk));
    const { code } = await proc.exited;
    return { code, stdout, stderr };
  }

  /** Runs and expects exit code 0; the JSON on stdout when `--json` is among the arguments. */
  async function ok(args: string[]): Promise<any> {
    const run = await cli(args);
    expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
    return args.includes('--json') ? JSON.parse(run.stdout) : run.stdout;
  }

  async function schedule(type: string, input: string, extra: Record<string, unknown> = {}): Promise<number> {
    const res = await mail.post('/v1/tasks', { type, input: { input }, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function claim(): Promise<{ id: number; leaseId: string }> {
    const res = await provider.post('/v1/work/next', { providerIds: ['acme:summary'] });
    expect(res.body.tasks, JSON.stringify(res.body)).toHaveLength(1);
    return { id: res.body.tasks[0].task.id, leaseId: res.body.tasks[0].leaseId };
  }

  beforeAll(async () => {
    provider = await tokenClient(fx.admin, 'provider', 'acme');
    mail = await tokenClient(fx.admin, 'app', 'mail');
    await registerProvider(provider, 'acme:summary', { name: 'Acme summary', taskType: summary, concurrency: 2 });
    await registerProvider(provider, 'acme:second', { name: 'Acme second', taskType: summary });
    await registerProvider(provider, bulkType, testProviderDescriptor(bulkType, bulkType, 'echo'));
    // Claimed one at a time, oldest first: the first ends successful, the second stays running.
    tasks.successful = await schedule(summary, 'done', { userId: 'ann' });
    const done = await claim();
    expect((await provider.post(`/v1/work/${done.id}/result`, { leaseId: done.leaseId, output: { output: 'short' } })).status).toBe(200);
    tasks.running = await schedule(summary, 'busy', { userId: 'ann' });
    expect((await claim()).id).toBe(tasks.running);
    for (const i of [1, 2, 3]) tasks.scheduled.push(await schedule(summary, `waits ${i}`, { userId: i === 1 ? 'bob' : 'ann', customId: `c${i}` }));
  });

  describe('tokens', () => {
    it('token create prints the secret once; it authenticates, as an app token', async () => {
      const out = await ok(['token', 'create', '--role', 'app', '--app', 'mail', '--name', 'mail from cli']);
      expect(out).toContain('shown only this once');
      const secret = out.match(/^ {2}(tp_\S+)$/m)?.[1];
      expect(secret, out).toBeDefined();
      const http = createHttp(fx.coordinator.url, secret);
      expect((await http.get('/v1/task-types')).status).toBe(200);
      expect((await http.get('/v1/admin/tokens')).status).toBe(403);
    });

    it('token list shows every token in a table, and --json the API answer; never a secret', async () => {
      const created = await ok(['token', 'create', '--role', 'provider', '--app', 'acme', '--json']);
      expect(created).toMatchObject({ role: 'provider', appId: 'acme', name: 'acme provider (cli)', revokedAt: null });
      const [table, json] = await Promise.all([ok(['token', 'list']), ok(['token', 'list', '--json'])]);
      expect(table.split('\n')[0]).toMatch(/^\s*ID\s+ROLE\s+APP\s+STATUS\s+CREATED\s+LAST USED\s+NAME$/);
      expect(table).toMatch(new RegExp(`^\\s*${created.id}\\s+provider\\s+acme\\s+live\\s.*acme provider \\(cli\\)$`, 'm'));
      expect(table).toMatch(/^\s*1\s+admin\s+-\s+live\s/m);
      expect(json).toEqual((await fx.admin.get('/v1/admin/tokens')).body);
      expect(table + JSON.stringify(json)).not.toContain(created.token);
    });

    it('token revoke makes the token answer 401; revoking it again exits 4 with the problem', async () => {
      const created = await ok(['token', 'create', '--role', 'app', '--app', 'mail', '--json']);
      expect(await ok(['token', 'revoke', String(created.id)])).toBe(`Revoked token ${created.id}.\n`);
      expect((await createHttp(fx.coordinator.url, created.token).get('/v1/task-types')).status).toBe(401);
      const again = await cli(['token', 'revoke', String(created.id)]);
      expect(again.code).toBe(4);
      expect(again.stderr).toMatch(/^error: 404 not_found: .+\n$/);
      expect(again.stdout).toBe('');
    });
  });

  describe('tasks', () => {
    it('task list shows tasks newest first, filtered, and --json is the API page', async () => {
      const [table, filtered, json] = await Promise.all([
        ok(['task', 'list', '--type', summary]),
        ok(['task', 'list', '--status', 'scheduled', '--user', 'ann', '--app', 'mail']),
        ok(['task', 'list', '--type', summary, '--json']),
      ]);
      const lines = table.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^\s*ID\s+TYPE\s+STATUS\s+APP\s+USER\s+PROVIDER\s+PROGRESS\s+SCHEDULED\s+ENDED$/);
      expect(lines.slice(1).map((l: string) => Number(l.trim().split(/\s+/)[0]))).toEqual(
        [...tasks.scheduled].reverse().concat(tasks.running, tasks.successful),
      );
      expect(table).toMatch(new RegExp(`^\\s*${tasks.running}\\s+${summary}\\s+running\\s+mail\\s+ann\\s+acme:summary\\s+0%\\s`, 'm'));
      expect(table).toMatch(new RegExp(`^\\s*${tasks.successful}\\s+${summary}\\s+successful\\s.*100%\\s+\\S+Z\\s+\\S+Z$`, 'm'));
      expect(filtered.trimEnd().split('\n').slice(1).map((l: string) => Number(l.trim().split(/\s+/)[0]))).toEqual([tasks.scheduled[2], tasks.scheduled[1]]);
      expect(stable(json)).toEqual(stable((await fx.admin.get(`/v1/tasks?type=${summary}`)).body));
    });

    it('task list --limit pages, says on stderr that more match, and --cursor continues', async () => {
      const first = await cli(['task', 'list', '--type', summary, '--limit', '2', '--json']);
      expect(first.code).toBe(0);
      const page = JSON.parse(first.stdout);
      expect(page.tasks.map((t: any) => t.id)).toEqual([tasks.scheduled[2], tasks.scheduled[1]]);
      expect(first.stderr).toBe(`More tasks match: --all, a larger --limit, or --cursor ${page.nextCursor}\n`);
      const rest = await ok(['task', 'list', '--type', summary, '--cursor', page.nextCursor, '--all', '--json']);
      expect(rest).toEqual({ tasks: expect.any(Array), nextCursor: null });
      expect(rest.tasks.map((t: any) => t.id)).toEqual([tasks.scheduled[0], tasks.running, tasks.successful]);
    });

    it('task get shows one task, --json the API answer; an unknown id exits 4', async () => {
      const [text, json, missing] = await Promise.all([
        ok(['task', 'get', String(tasks.successful)]),
        ok(['task', 'get', String(tasks.successful), '--json']),
        cli(['task', 'get', '999999']),
      ]);
      expect(text).toMatch(/^status: +successful$/m);
      expect(text).toMatch(/^provider: +acme:summary$/m);
      expect(text).toMatch(/^input: +\{"input":"done"\}$/m);
      expect(text).toMatch(/^output: +\{"output":"short"\}$/m);
      expect(stable(json)).toEqual(stable((await fx.admin.get(`/v1/tasks/${tasks.successful}`)).body));
      expect(missing.code).toBe(4);
      expect(missing.stderr).toBe('error: 404 not_found: task 999999 not found\n');
    });
  });

  describe('task cancel and delete', () => {
    it('cancels tasks by id: scheduled and running alike', async () => {
      const ids = [await schedule(summary, 'to cancel'), await schedule(summary, 'to cancel too')];
      expect(await ok(['task', 'cancel', ...ids.map(String)])).toBe('Cancelled 2 tasks.\n');
      for (const id of ids) expect((await fx.admin.get(`/v1/tasks/${id}`)).body.status).toBe('cancelled');
    });

    it('goes on past a refused id, reports it on stderr, and exits 4 (not found) or 1 (any other refusal)', async () => {
      const id = await schedule(summary, 'cancelled next to a missing one');
      const mixed = await cli(['task', 'cancel', '999998', String(id), '--json']);
      expect(mixed.code).toBe(4);
      expect(mixed.stderr).toBe('error: task 999998: 404 not_found: task 999998 not found\n');
      const result = JSON.parse(mixed.stdout);
      expect(result.cancelled.map((t: any) => [t.id, t.status])).toEqual([[id, 'cancelled']]);
      expect(result.failed).toEqual([{ id: 999998, status: 404, code: 'not_found', detail: 'task 999998 not found' }]);

      const ended = await cli(['task', 'cancel', String(tasks.successful)]);
      expect(ended.code).toBe(1);
      expect(ended.stderr).toMatch(new RegExp(`^error: task ${tasks.successful}: 409 task_terminal: .+\n$`));
      expect(ended.stdout).toBe('Cancelled 0 tasks; 1 failed.\n');
    });

    it('cancels every task a filter selects, with progress lines on stderr (no terminal)', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) ids.push(await schedule(bulkType, `bulk ${i}`));
      const run = await cli(['task', 'cancel', '--status', 'scheduled', '--type', bulkType]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe('Cancelled 12 tasks.\n');
      const progress = run.stderr.trimEnd().split('\n');
      expect(progress.at(-1)).toBe('cancelling: 12/12');
      expect(progress.every((line) => /^cancelling: \d+\/12$/.test(line))).toBe(true);
      const listed = (await fx.admin.get(`/v1/tasks?type=${bulkType}&limit=500`)).body.tasks;
      expect(listed.map((t: any) => t.status)).toEqual(Array(12).fill('cancelled'));
      expect(await ok(['task', 'cancel', '--status', 'scheduled', '--type', bulkType])).toBe('No tasks match.\n');
    });

    it('deletes tasks by id and by filter; the API then answers 404 for them', async () => {
      const id = await schedule(summary, 'to delete');
      expect(await ok(['task', 'delete', String(id)])).toBe('Deleted 1 task.\n');
      expect((await fx.admin.get(`/v1/tasks/${id}`)).status).toBe(404);
      const gone = await cli(['task', 'delete', String(id)]);
      expect(gone.code).toBe(4);

      const run = await cli(['task', 'delete', '--status', 'cancelled', '--type', bulkType, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result).toEqual({ deleted: expect.any(Array), skipped: [], failed: [] });
      expect(result.deleted).toHaveLength(12);
      expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('deleting: 12/12');
      expect((await fx.admin.get(`/v1/tasks?type=${bulkType}`)).body.tasks).toEqual([]);
    });
  });

  describe('providers', () => {
    it('provider list shows liveness, last contact and running tasks; --json is the API answer', async () => {
      const [table, json] = await Promise.all([ok(['provider', 'list']), ok(['provider', 'list', '--json'])]);
      expect(table.split('\n')[0]).toMatch(/^ID\s+TYPE\s+APP\s+STATE\s+LAST SEEN\s+RUNNING\s+SLOTS\s+OK 1H\s+FAILED 1H\s+NAME$/);
      // acme:summary polled (it claimed two tasks), holds one and ended one.
      expect(table).toMatch(new RegExp(`^acme:summary\\s+${summary}\\s+acme\\s+live\\s+(\\d+m)?\\d+s ago\\s+1\\s+2\\s+1\\s+0\\s+Acme summary$`, 'm'));
      expect(table).toMatch(/^acme:second\s/m);
      expect(json).toEqual({ providers: expect.any(Array) });
      expect(json.providers.map((p: any) => p.id).sort()).toEqual([bulkType, 'acme:second', 'acme:summary']);
      expect(json.providers.find((p: any) => p.id === 'acme:summary')).toMatchObject({ live: true, runningTasks: 1, concurrency: 2 });
    });

    it('provider delete removes a registration; again, it exits 4', async () => {
      await registerProvider(provider, 'acme:doomed', { name: 'Doomed', taskType: summary });
      expect(await ok(['provider', 'delete', 'acme:doomed'])).toBe('Deleted provider acme:doomed.\n');
      expect((await fx.admin.get('/v1/providers')).body.providers.map((p: any) => p.id)).not.toContain('acme:doomed');
      const again = await cli(['provider', 'delete', 'acme:doomed']);
      expect(again.code).toBe(4);
      expect(again.stderr).toMatch(/^error: 404 not_found: /);
    });
  });

  describe('task types', () => {
    it('type list shows served types and their providers; --all every type', async () => {
      const [table, all] = await Promise.all([ok(['type', 'list']), ok(['type', 'list', '--all', '--json'])]);
      expect(table).toMatch(new RegExp(`^${summary}\\s+yes\\s+acme:summary,acme:second\\s+\\S`, 'm'));
      expect(table).not.toMatch(/^core:audio2text\s/m);
      expect(all).toEqual((await fx.admin.get('/v1/task-types?all=true')).body);
    });

    it('type disable refuses scheduling, type enable allows it again, type get shows both', async () => {
      expect(await ok(['type', 'disable', summary])).toMatch(/^enabled: +no \(tasks of this type cannot be scheduled\)$/m);
      const refused = await mail.post('/v1/tasks', { type: summary, input: { input: 'x' } });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'task_type_disabled' });
      expect(await ok(['type', 'get', summary, '--json'])).toEqual({ enabled: false, preferredProviders: [] });
      expect(await ok(['type', 'enable', summary, '--json'])).toEqual({ enabled: true, preferredProviders: [] });
      expect((await mail.post('/v1/tasks', { type: summary, input: { input: 'x' } })).status).toBe(201);
    });

    it('type prefer orders the providers and keeps enabled as it is; --clear removes the order', async () => {
      const text = await ok(['type', 'prefer', summary, 'acme:second', 'acme:summary']);
      expect(text).toMatch(/^preferred providers: acme:second, acme:summary$/m);
      expect((await fx.admin.get(`/v1/admin/task-types/${summary}`)).body).toEqual({ enabled: true, preferredProviders: ['acme:second', 'acme:summary'] });
      const shown = await ok(['type', 'get', summary]);
      expect(shown).toMatch(/^name: +Summarize$/m);
      expect(shown).toMatch(/^provider order: +acme:second, acme:summary$/m);
      expect(await ok(['type', 'prefer', summary, '--clear', '--json'])).toEqual({ enabled: true, preferredProviders: [] });
    });

    it('exits 4 for an unknown task type and 1 for an unknown provider, with the problem', async () => {
      const [type, unknownProvider] = await Promise.all([cli(['type', 'get', 'acme:nothing']), cli(['type', 'prefer', summary, 'acme:nobody'])]);
      expect(type.code).toBe(4);
      expect(type.stderr).toMatch(/^error: 422 unknown_task_type: .+\n$/);
      expect(unknownProvider.code).toBe(1);
      expect(unknownProvider.stderr).toMatch(/^error: 422 unknown_provider: .+\n$/);
    });
  });

  describe('failures', () => {
    it('a bad token exits 1 with the problem on one line', async () => {
      const run = await cli(['task', 'list'], { TASKPROC_TOKEN: 'tp_not_a_token' });
      expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: 401 unauthorized: the bearer token is unknown or revoked\n' });
    });

    it('--token and --url win over the environment; an unreachable coordinator exits 3', async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      const byFlag = await cli(['provider', 'list', '--json', '--url', fx.coordinator.url, '--token', fx.coordinator.adminToken], {
        TASKPROC_URL: url,
        TASKPROC_TOKEN: 'tp_wrong',
      });
      expect(byFlag.code, byFlag.stderr).toBe(0);
      const run = await cli(['stats'], { TASKPROC_URL: url });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`^error: cannot reach the coordinator at ${url}: GET /v1/admin/stats failed: .*ECONNREFUSED.*\n$`));
    });

    it('a usage error exits 2 before any request; --help exits 0', async () => {
      const before = (await fx.admin.get('/v1/admin/tokens')).body.tokens.length;
      const [typo, help] = await Promise.all([
        cli(['token', 'create', '--role', 'app', '--ap', 'mail']),
        cli(['task', 'cancel', '--help']),
      ]);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toBe('error: unknown option --ap\nUsage: npm run cli -- token create [options]    (--help for more)\n');
      expect(typo.stdout).toBe('');
      expect((await fx.admin.get('/v1/admin/tokens')).body.tokens.length).toBe(before);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('--status <status>');
      expect(help.stdout).toContain('Exit codes: 0 ok, 1 error, 2 usage, 3 unreachable, 4 not found');
    });
  });

  // The stats and cleanup routes are the newest server side; their tests come last.
  describe('stats and cleanup', () => {
    it('stats shows a row per task type and the totals; --json is the API answer', async () => {
      const [table, json, narrowed] = await Promise.all([
        ok(['stats']),
        ok(['stats', '--json']),
        ok(['stats', '--window', '600', '--type', summary, '--json']),
      ]);
      expect(table.split('\n')[0]).toMatch(/^Window: the last 1h00m, as of \S+Z$/);
      expect(table.split('\n')[1]).toMatch(/^TYPE\s+WAITING\s+RUNNING\s+OLDEST\s+WAIT P50\/P95\s+RUN P50\/P95\s+OK\s+FAILED\s+CANCELLED\s+PROVIDERS\s+SLOTS$/);
      expect(table).toMatch(new RegExp(`^${summary}\\s+\\d+\\s+1\\s`, 'm'));
      expect(table).toMatch(/^TOTAL\s+\d+\s+1\s/m);
      expect(QueueStats.parse(json)).toEqual(json);
      expect(json.types[summary]).toMatchObject({ running: 1, liveProviders: 2 });
      expect(narrowed.windowSeconds).toBe(600);
      expect(Object.keys(narrowed.types)).toEqual([summary]);
    });

    it('cleanup --dry-run counts, cleanup removes finished tasks, and unfinished ones stay', async () => {
      const finished = (await fx.admin.get('/v1/tasks?limit=500')).body.tasks.filter((t: any) => t.endedAt !== null).length;
      expect(finished).toBeGreaterThan(0);
      const dry = await ok(['cleanup', '--days', '0', '--dry-run', '--json']);
      expect(CleanupResult.parse(dry)).toMatchObject({ dryRun: true, retentionDays: 0, tasks: finished });
      expect(await ok(['cleanup', '--days', '0', '--dry-run'])).toMatch(new RegExp(`^Would remove ${finished} tasks \\(.+\\) that ended before \\S+Z \\(retention 0 days\\); nothing was removed \\(--dry-run\\)\\.\n$`));
      expect(await ok(['cleanup', '--days', '0'])).toMatch(new RegExp(`^Removed ${finished} tasks \\(`));
      const left = (await fx.admin.get('/v1/tasks?limit=500')).body.tasks;
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((t: any) => t.endedAt === null)).toBe(true);
    });
  });

  // Last: on PGlite it stops and restarts the coordinator.
  describe('bootstrap', () => {
    /** The bootstrap command on the coordinator's database, as its operator would run it: no URL, no token. */
    function bootstrap(args: string[] = []) {
      return cli(['bootstrap', 'admin-token', ...args], {
        DATA_DIR: fx.db.dataDir,
        ...(fx.db.databaseUrl ? { DATABASE_URL: fx.db.databaseUrl } : {}),
        TASKPROC_URL: '',
        TASKPROC_TOKEN: '',
      });
    }

    async function expectAdmin(secret: string | undefined): Promise<void> {
      expect(secret).toMatch(/^tp_/);
      expect((await createHttp(fx.coordinator.url, secret).get('/v1/admin/tokens')).status).toBe(200);
    }

    if (kind === 'pglite') {
      it('refuses a PGlite directory a running coordinator holds (exit 1), and works once it is stopped', async () => {
        const refused = await bootstrap();
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`in use by another coordinator (pid ${fx.coordinator.process.child.pid}`);
        expect(refused.stdout).toBe('');

        await fx.coordinator.stop();
        const run = await bootstrap(['--json']);
        // Restarted either way: useCoordinator's afterAll stops whichever runs.
        fx.coordinator = await startCoordinator(fx.db);
        expect(run.code, run.stderr).toBe(0);
        const created = JSON.parse(run.stdout);
        expect(created).toMatchObject({ role: 'admin', appId: null, name: 'admin (cli bootstrap)', revokedAt: null });
        await expectAdmin(created.token);
      });
    } else {
      it('works next to a running coordinator on PostgreSQL', async () => {
        const run = await bootstrap(['--name', 'second admin']);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain('Created admin token');
        await expectAdmin(run.stdout.match(/^ {2}(tp_\S+)$/m)?.[1]);
      });
    }
  });
});
