import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  repoRoot,
  spawnTsProcess,
  startCoordinator,
  testAdminToken,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';

// Tokens seeded from the environment (TASKPROC_SEED_TOKENS), so a deployment starts whole from
// one .env: the provider's token exists before the coordinator ever ran. And the compose file
// that relies on it.

const providerSecret = 'seeded-provider-secret-0123456789';
const appSecret = 'seeded-app-secret-0123456789abcdef';
const seeds = `provider:openai:${providerSecret}, app:mail:${appSecret}`;

describeEachDatabase('seeded tokens', (kind) => {
  let db: TestDatabase;
  let coordinator: RunningCoordinator | undefined;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await coordinator?.stop();
    await db?.destroy();
  });

  it('stores them at the first start, once, and keeps a revoked one revoked across restarts', async () => {
    coordinator = await startCoordinator(db, { TASKPROC_SEED_TOKENS: seeds });
    const provider = createHttp(coordinator.url, providerSecret);
    const app = createHttp(coordinator.url, appSecret);
    expect((await provider.put('/v1/providers/openai:summary', { name: 'Seeded', taskType: 'core:text2text:summary' })).status).toBe(201);
    expect((await app.get('/v1/task-types')).status).toBe(200);

    const admin = createHttp(coordinator.url, testAdminToken);
    const seeded = (await admin.get('/v1/admin/tokens')).body.tokens.filter((t: any) => t.name.startsWith('TASKPROC_SEED_TOKENS'));
    expect(seeded.map((t: any) => [t.role, t.appId]).sort()).toEqual([['app', 'mail'], ['provider', 'openai']]);
    const appToken = seeded.find((t: any) => t.role === 'app');
    expect((await admin.delete(`/v1/admin/tokens/${appToken.id}`)).status).toBe(204);

    await coordinator.stop();
    coordinator = await startCoordinator(db, { TASKPROC_SEED_TOKENS: seeds });
    const after = (await createHttp(coordinator.url, testAdminToken).get('/v1/admin/tokens')).body.tokens;
    expect(after.filter((t: any) => t.name.startsWith('TASKPROC_SEED_TOKENS'))).toHaveLength(2);
    expect((await createHttp(coordinator.url, appSecret).get('/v1/task-types')).status).toBe(401);
    expect((await createHttp(coordinator.url, providerSecret).get('/v1/providers')).status).toBe(200);
  });
});

it('refuses a malformed TASKPROC_SEED_TOKENS at start, naming the entry and not its secret', async () => {
  const proc = spawnTsProcess('server/src/main.ts', {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(repoRoot, '.tmp', `seed-refused-${process.pid}`),
    TASKPROC_SEED_TOKENS: 'provider:openai:short,admin:x:0123456789abcdef0123',
  });
  // 2: a configuration error, as for every other variable (main.ts).
  expect((await proc.exited).code).toBe(2);
  expect(proc.output()).toContain('TASKPROC_SEED_TOKENS');
  expect(proc.output()).toContain('entry 1: the secret must be at least 16 characters');
  expect(proc.output()).toContain('entry 2: the role must be app or provider');
  expect(proc.output()).not.toContain('0123456789abcdef0123');
});

it('docker-compose.yml starts from one .env: the provider token is seeded, every variable is in .env.example', () => {
  const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'));
  expect(Object.keys(compose.services).sort()).toEqual(['coordinator', 'openai-provider', 'postgres']);
  const { coordinator, 'openai-provider': provider } = compose.services;
  expect(coordinator.environment.TASKPROC_SEED_TOKENS).toMatch(/^provider:openai:\$\{TASKPROC_PROVIDER_TOKEN/);
  expect(provider.environment.TASKPROC_TOKEN).toMatch(/^\$\{TASKPROC_PROVIDER_TOKEN/);
  expect(provider.depends_on.coordinator.condition).toBe('service_healthy');
  // The commands run the compiled entry points that `npm run build` writes.
  expect(coordinator.command).toEqual(['node', 'server/dist/main.js']);
  expect(provider.command).toEqual(['node', 'providers/openai/dist/main.js']);
  const used = new Set([...readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!));
  const listed = new Set([...readFileSync(join(repoRoot, '.env.example'), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!));
  expect([...used].filter((v) => !listed.has(v))).toEqual([]);
});

it('the Dockerfile installs every workspace: each package.json is copied before npm ci', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY (\S+)\/package\.json /gm)].map((m) => m[1]!);
  const workspaces: string[] = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).workspaces;
  expect(copied.sort()).toEqual([...workspaces].sort());
});
