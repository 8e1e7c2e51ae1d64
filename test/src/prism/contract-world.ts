import { afterAll, beforeAll } from 'vitest';
import { TaskProcessingClient } from '@taskproc/client';
import { runProviders, type Logger, type ProviderRunner } from '@taskproc/provider-sdk';
import { createHttp, type Http } from '../http.ts';
import { createTestDatabase, startCoordinator, type RunningCoordinator, type TestDatabase } from '../start-coordinator.ts';
import { digestProvider, HeldTasks } from './digest-provider.ts';
import { createProxyTally, type ProxyTally } from './proxy-tally.ts';
import { startPrism, type RunningPrism } from './start-prism.ts';

/**
 * A coordinator, a Prism proxy in front of it, and everyone talking to the coordinator through
 * the proxy: the admin (raw HTTP), the app (the real TaskProcessingClient) and the provider (the
 * real SDK runner). Filled in by `beforeAll`, so valid inside tests and hooks only.
 */
export interface ContractWorld {
  db: TestDatabase;
  coordinator: RunningCoordinator;
  prism: RunningPrism;
  tally: ProxyTally;
  admin: Http;
  /** The app `mail` over raw HTTP, through the proxy. */
  appHttp: Http;
  /** The provider app `digest` over raw HTTP, through the proxy. */
  providerHttp: Http;
  appToken: string;
  providerToken: string;
  client: TaskProcessingClient;
  runner: ProviderRunner;
  held: HeldTasks;
  /** Starts another runner of the digest provider through the proxy (the first one is `runner`). */
  startRunner(options?: { token?: string; concurrency?: number }): ProviderRunner;
  /** What the SDK logged at warn and error, for failure messages. */
  sdkComplaints: string[];
}

/**
 * Server-sent event streams that never end cannot go through Prism: its forwarder reads the
 * whole upstream body (node-fetch `text()`) before it validates and answers, so the provider's
 * control stream would never open. They go straight to the coordinator, and the tally counts
 * them apart. (A task's own event stream ends with the task, so it does go through, buffered.)
 */
const endlessStreams = new Set(['/v1/work/control', '/v1/events']);

export function useContractWorld(): ContractWorld {
  const world = { held: new HeldTasks(), sdkComplaints: [] as string[] } as ContractWorld;
  const complain = (level: string) => (a: unknown, b?: unknown) => {
    world.sdkComplaints.push(`${level}: ${typeof a === 'string' ? a : `${String(b)} ${JSON.stringify(a, (_key, value: unknown) => (value instanceof Error ? String(value) : value))}`}`);
  };
  const logger: Logger = { debug: () => {}, info: () => {}, warn: complain('warn'), error: complain('error'), child: () => logger };
  const runners: ProviderRunner[] = [];

  beforeAll(async () => {
    world.db = await createTestDatabase('pglite');
    world.coordinator = await startCoordinator(world.db);
    world.prism = await startPrism(world.coordinator.url);
    world.tally = createProxyTally({
      prismUrl: world.prism.url,
      coordinatorUrl: world.coordinator.url,
      goDirect: (method, pathname) => method === 'GET' && endlessStreams.has(pathname),
    });
    world.admin = createHttp(world.prism.url, world.coordinator.adminToken, world.tally.fetchFor('admin'));
    const token = async (role: 'app' | 'provider', appId: string) => {
      const res = await world.admin.post('/v1/admin/tokens', { role, appId, name: `${appId} ${role}` });
      if (res.status !== 201) throw new Error(`creating a ${role} token: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    };
    world.appToken = await token('app', 'mail');
    world.providerToken = await token('provider', 'digest');
    world.appHttp = createHttp(world.prism.url, world.appToken, world.tally.fetchFor('app'));
    world.providerHttp = createHttp(world.prism.url, world.providerToken, world.tally.fetchFor('provider'));
    world.client = new TaskProcessingClient({ url: world.prism.url, token: world.appToken, fetch: world.tally.fetchFor('app') });
    world.startRunner = ({ token = world.providerToken, concurrency = 4 } = {}) => {
      const runner = runProviders({
        url: world.prism.url,
        token,
        providers: [digestProvider(world.held)],
        concurrency,
        // Short claims: each long-poll that times out is one more call checked, and stop() is quick.
        waitMs: 2_000,
        logger,
        fetch: world.tally.fetchFor('provider'),
      });
      runners.push(runner);
      return runner;
    };
    world.runner = world.startRunner();
    await world.runner.ready;
  });

  afterAll(async () => {
    // Stops in the order nothing is left hanging: the providers, the proxy, the coordinator.
    await Promise.all(runners.map((runner) => runner.stop({ graceMs: 0 }).catch(() => {})));
    await world.prism?.stop();
    await world.coordinator?.stop();
    await world.db?.destroy();
  });
  return world;
}
