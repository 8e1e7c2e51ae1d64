import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineLockfile } from '../src/consumer/offline-lockfile.ts';
import {
  createHttp,
  createTestDatabase,
  repoRoot,
  spawnTsProcess,
  startCoordinator,
  tokenClient,
  type RunningCoordinator,
  type SpawnedProcess,
  type TestDatabase,
} from '../src/index.ts';

// The published packages as a third party gets them: `npm pack` of spec, client and provider-sdk,
// installed from the tarballs into a project outside the workspace, a provider and an app
// (test/consumer/) type-checked with plain tsc against the packed .d.ts (skipLibCheck off) and
// run with plain node against a coordinator started from its compiled JavaScript. No tsx, no
// workspace links; the install is `npm ci --offline` from the cache the repository's own install
// filled, so the test asks no registry.

const run = promisify(execFile);
const published = ['spec', 'client', 'provider-sdk'] as const;

describe('the packages outside the workspace', () => {
  let project: string;
  let db: TestDatabase;
  let coordinator: RunningCoordinator;
  let provider: SpawnedProcess | undefined;
  let compiled: { stdout: string };

  beforeAll(async () => {
    // What `npm ci` built may be older than the sources: the packages are packed from a fresh build.
    await run('npm', ['run', 'build', '--silent'], { cwd: repoRoot });
    const root = mkdtempSync(join(tmpdir(), 'taskproc-consumer-'));
    const tarballs = join(root, 'tarballs');
    mkdirSync(tarballs);
    const packed: Parameters<typeof offlineLockfile>[1] = {};
    for (const dir of published) {
      const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: join(repoRoot, dir) });
      const file = stdout.trim().split('\n').at(-1)!;
      const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8'));
      packed[manifest.name] = {
        path: `../tarballs/${file}`,
        version: manifest.version,
        integrity: `sha512-${createHash('sha512').update(readFileSync(join(tarballs, file))).digest('base64')}`,
        dependencies: manifest.dependencies ?? {},
      };
    }
    project = join(root, 'project');
    cpSync(join(repoRoot, 'test/consumer'), project, { recursive: true });
    const versionOf = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
    const lock = offlineLockfile(repoRoot, packed, { typescript: versionOf('typescript'), '@types/node': versionOf('@types/node') }) as {
      packages: Record<string, { dependencies: Record<string, string> }>;
    };
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: lock.packages['']!.dependencies }, null, 2),
    );
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project });
    // Plain tsc, type-checking and emitting dist/ (what the run below starts).
    compiled = await run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: project }).catch(
      (err: { stdout: string }) => ({ stdout: err.stdout || String(err) }),
    );

    db = await createTestDatabase('pglite');
    coordinator = await startCoordinator(db, {}, { compiled: true });
  }, 180_000);

  afterAll(async () => {
    await provider?.stop('SIGTERM');
    await coordinator?.stop();
    await db?.destroy();
    if (project) rmSync(join(project, '..'), { recursive: true, force: true });
  });

  it('packs only what a user needs: builds with types and source maps, the README, the licence, no tests', () => {
    const installed = join(project, 'node_modules/@taskproc');
    for (const dir of published) {
      const files = readdirSync(join(installed, dir), { recursive: true }).map(String);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map']));
      expect(files.filter((f) => f.includes('.test.') || f.endsWith('.tsbuildinfo'))).toEqual([]);
    }
  });

  it('type-checks a provider and an app with plain tsc against the packed declarations', () => {
    expect(compiled.stdout).toBe('');
  });

  it('runs both with plain node: a task with a file in and a file out goes through, streamed, and a failure comes back typed', async () => {
    const admin = createHttp(coordinator.url, coordinator.adminToken);
    const providerToken = (await tokenClient(admin, 'provider', 'consumer')).token!;
    const appToken = (await tokenClient(admin, 'app', 'consumer-app')).token!;
    provider = spawnTsProcess(join(project, 'dist/provider.js'), { TASKPROC_URL: coordinator.url, TASKPROC_TOKEN: providerToken });
    await provider.waitForLine(/consumer provider ready/);
    const app = spawnTsProcess(join(project, 'dist/app.js'), { TASKPROC_URL: coordinator.url, TASKPROC_TOKEN: appToken });
    const [, json] = await app.waitForLine(/^RESULT (.*)$/);
    expect(JSON.parse(json!)).toEqual({
      bytes: [255, 254, 253, 5, 0],
      name: 'inverted-bytes.bin',
      note: 'test: 5 bytes inverted',
      streamed: 'test: 5 bytes inverted',
      failure: 'The file could not be inverted.',
    });
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });
});
