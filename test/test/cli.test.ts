import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  spawnTsProcess,
  startCoordinator,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- <args>` as its own process against the test database. */
async function runCli(db: TestDatabase, args: string[]): Promise<CliRun> {
  const proc = spawnTsProcess(
    'server/src/cli.ts',
    { DATA_DIR: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) },
    args,
  );
  let stdout = '';
  let stderr = '';
  proc.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  proc.child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  const { code } = await proc.exited;
  return { code, stdout, stderr };
}

describeEachDatabase('cli', (kind) => {
  let db: TestDatabase;
  // PostgreSQL: one coordinator runs throughout and the CLI works next to it. PGlite allows one
  // process per directory, so there the coordinator is started only to check a token, then stopped.
  let shared: RunningCoordinator | undefined;

  async function withCoordinator<T>(use: (url: string) => Promise<T>): Promise<T> {
    if (shared) return use(shared.url);
    const coordinator = await startCoordinator(db);
    try {
      return await use(coordinator.url);
    } finally {
      await coordinator.stop();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    if (kind === 'postgres') shared = await startCoordinator(db);
  });
  afterAll(async () => {
    await shared?.stop();
    await db?.destroy();
  });

  it('token create prints the secret once, and it authenticates against the coordinator', async () => {
    const run = await runCli(db, ['token', 'create', '--role', 'app', '--app', 'mail', '--name', 'mail from cli']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('shown only this once');
    const secret = run.stdout.match(/^ {2}(tp_\S+)$/m)?.[1];
    expect(secret, run.stdout).toBeDefined();
    await withCoordinator(async (url) => {
      const http = createHttp(url, secret);
      expect((await http.get('/v1/task-types')).status).toBe(200);
      // An app token: admin routes stay closed.
      expect((await http.get('/v1/admin/tokens')).status).toBe(403);
    });
  });

  it('token create --json prints the created token, usable as a provider token', async () => {
    const run = await runCli(db, ['token', 'create', '--role', 'provider', '--app', 'acme', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const created = JSON.parse(run.stdout);
    expect(created).toMatchObject({ role: 'provider', appId: 'acme', name: 'acme provider (cli)', revokedAt: null });
    await withCoordinator(async (url) => {
      const res = await createHttp(url, created.token).put('/v1/providers/acme:summary', {
        name: 'Acme',
        taskType: 'core:text2text:summary',
      });
      expect(res.status).toBe(201);
    });
  });

  it('token list shows every token without secrets', async () => {
    const json = await runCli(db, ['token', 'list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { tokens } = JSON.parse(json.stdout);
    expect(tokens.map((t: any) => t.name)).toEqual(expect.arrayContaining(['mail from cli', 'acme provider (cli)']));
    expect(json.stdout).not.toMatch(/tp_\w{20,}/);
    const table = await runCli(db, ['token', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+ROLE\s+APP\s+STATUS/);
    expect(table.stdout).toMatch(/\bapp\s+mail\s+live\b.*mail from cli/);
  });

  it('token revoke makes the token answer 401; revoking it again fails with exit code 1', async () => {
    const created = JSON.parse((await runCli(db, ['token', 'create', '--role', 'app', '--app', 'mail', '--json'])).stdout);
    await withCoordinator(async (url) => {
      expect((await createHttp(url, created.token).get('/v1/task-types')).status).toBe(200);
    });
    const revoke = await runCli(db, ['token', 'revoke', String(created.id)]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`Revoked token ${created.id}`);
    await withCoordinator(async (url) => {
      const res = await createHttp(url, created.token).get('/v1/task-types');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    });
    const again = await runCli(db, ['token', 'revoke', String(created.id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no live token has id ${created.id}`);
  });

  // Every bad-flag case is checked in process (server/src/cli/run-cli.test.ts); this proves the
  // entry point turns a usage error into exit code 2 and leaves the database alone.
  it('exits with code 2 and the usage on a bad flag, creating nothing', async () => {
    const before = JSON.parse((await runCli(db, ['token', 'list', '--json'])).stdout).tokens.length;
    const run = await runCli(db, ['token', 'create', '--role', 'app', '--ap', 'mail']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain('unknown option --ap');
    expect(run.stderr).toContain('USAGE');
    expect(run.stdout).toBe('');
    expect(JSON.parse((await runCli(db, ['token', 'list', '--json'])).stdout).tokens.length).toBe(before);
  });

  it('prints usage for --help with exit code 0', async () => {
    const run = await runCli(db, ['token', 'create', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--role');
  });

  // Only embedded PGlite is single-process; PostgreSQL is shared by design.
  if (kind === 'pglite') {
    it('refuses to open a PGlite directory a running coordinator holds', async () => {
      const coordinator = await startCoordinator(db);
      try {
        const run = await runCli(db, ['token', 'list']);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`in use by another coordinator (pid ${coordinator.process.child.pid}`);
      } finally {
        await coordinator.stop();
      }
      expect((await runCli(db, ['token', 'list'])).code).toBe(0);
    });
  }
});
