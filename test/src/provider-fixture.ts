import type { DatabaseKind } from './databases.ts';
import { createHttp, type Http } from './http.ts';
import { startTestProvider, type TestProvider, type TestProviderOptions } from './provider-process.ts';
import { testProviderDescriptor, type TestBehaviour } from './providers/test-provider-descriptor.ts';
import { createTestDatabase, startCoordinator, type RunningCoordinator, type TestDatabase } from './start-coordinator.ts';

/**
 * One coordinator process on a fresh database, an app token and a provider token, and the
 * provider processes a test starts: the setup every provider end-to-end suite shares.
 */
export interface ProviderFixture {
  db: TestDatabase;
  coordinator: RunningCoordinator;
  admin: Http;
  /** Acts as the app `mail`. */
  app: Http;
  /** Acts as the provider app `llm` (the token the provider processes use). */
  provider: Http;
  /** Schedules a task as the app; fails the test unless it was accepted. */
  schedule(type: string, input: Record<string, unknown>, extra?: Record<string, unknown>): Promise<{ id: number }>;
  /** The task as the app sees it. */
  task(id: number): Promise<any>;
  /** Downloads a file as the app, as raw bytes. */
  download(fileId: number): Promise<{ status: number; bytes: Uint8Array }>;
  /** Registers a provider over HTTP exactly as the scripted provider process would. */
  register(providerId: string, taskType: string, behaviour?: TestBehaviour): Promise<void>;
  /** Starts a scripted provider process with the provider token; it is stopped by `stopProviders`. */
  startProvider(options: Omit<TestProviderOptions, 'url' | 'token'>): TestProvider;
  /** Stops every provider process started so far (SIGKILL: nothing of theirs outlives a test). */
  stopProviders(): Promise<void>;
  /** Stops everything and removes the database. */
  close(): Promise<void>;
}

export async function createProviderFixture(kind: DatabaseKind, coordinatorEnv: Record<string, string> = {}): Promise<ProviderFixture> {
  const db = await createTestDatabase(kind);
  const coordinator = await startCoordinator(db, coordinatorEnv);
  const admin = createHttp(coordinator.url, coordinator.adminToken);
  const token = async (role: 'app' | 'provider', appId: string) => {
    const res = await admin.post('/v1/admin/tokens', { role, appId, name: `${appId} ${role}` });
    if (res.status !== 201) throw new Error(`creating a ${role} token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  const appToken = await token('app', 'mail');
  const app = admin.withToken(appToken);
  const providerToken = await token('provider', 'llm');
  const provider = admin.withToken(providerToken);
  const started: TestProvider[] = [];

  const stopProviders = async () => {
    await Promise.all(started.splice(0).map((p) => p.process.stop('SIGKILL')));
  };
  return {
    db,
    coordinator,
    admin,
    app,
    provider,
    async schedule(type, input, extra = {}) {
      const res = await app.post('/v1/tasks', { type, input, ...extra });
      if (res.status !== 201) throw new Error(`scheduling ${type}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async task(id) {
      const res = await app.get(`/v1/tasks/${id}`);
      if (res.status !== 200) throw new Error(`reading task ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async download(fileId) {
      const res = await fetch(new URL(`/v1/files/${fileId}`, coordinator.url), { headers: { authorization: `Bearer ${appToken}` } });
      return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
    },
    async register(providerId, taskType, behaviour = 'echo') {
      const res = await provider.put(`/v1/providers/${providerId}`, testProviderDescriptor(providerId, taskType, behaviour));
      if (res.status !== 200 && res.status !== 201) throw new Error(`registering ${providerId}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    startProvider(options) {
      const started1 = startTestProvider({ url: coordinator.url, token: providerToken, ...options });
      started.push(started1);
      return started1;
    },
    stopProviders,
    async close() {
      await stopProviders();
      await coordinator.stop();
      await db.destroy();
    },
  };
}
