import { event, followProvider, type TestProvider } from '../provider-process.ts';
import { spawnTsProcess } from '../spawn-process.ts';
import { chaosProviderId, chaosTaskType } from './chaos-task.ts';
import type { HttpRecord } from './http-outcome.ts';

export interface ProviderPoolOptions {
  /** Coordinator (or balancer) URL the providers talk to. */
  url: string;
  /** A provider token. */
  token: string;
  /** Processes kept running. */
  size: number;
  /** Tasks each process works on at once. */
  concurrency: number;
  /** Lease each process asks for: how soon a killed process's tasks come back. */
  leaseMs: number;
}

/** A task result a provider process had accepted, as its SDK logged it. */
export interface AcceptedReport {
  taskId: number;
  attempt: number;
  by: string;
}

/** Chaos provider processes: a fixed number kept alive, the oldest SIGKILLed on demand. */
export interface ProviderPool {
  /** Resolves once every live process registered. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILLs the oldest live process and starts its replacement at once (not awaiting it). */
  killOne(): Promise<void>;
  /** Processes SIGKILLed by `killOne` so far. */
  readonly kills: number;
  /** Live processes. */
  live(): readonly TestProvider[];
  /** Successful reports the coordinator accepted, from every process ever started. */
  acceptedReports(): AcceptedReport[];
  /** Requests that got a 5xx or no answer, from every process ever started. */
  failedRequests(): HttpRecord[];
  /** SIGKILLs every process (nothing of theirs outlives the suite); safe to call twice. */
  stop(): Promise<void>;
}

export function startProviderPool(options: ProviderPoolOptions): ProviderPool {
  const all: TestProvider[] = [];
  const labels = new Map<TestProvider, string>();
  let live: TestProvider[] = [];
  let kills = 0;
  const start = () => {
    const label = `chaos-provider-${all.length + 1}`;
    const proc = spawnTsProcess('test/src/chaos/chaos-provider.ts', {
      TASKPROC_URL: options.url,
      TASKPROC_TOKEN: options.token,
      CHAOS_PROVIDER_ID: chaosProviderId,
      CHAOS_TASK_TYPE: chaosTaskType,
      CHAOS_CONCURRENCY: String(options.concurrency),
      CHAOS_LEASE_MS: String(options.leaseMs),
    });
    const provider = followProvider(proc, label);
    all.push(provider);
    labels.set(provider, label);
    live.push(provider);
  };
  for (let i = 0; i < options.size; i++) start();

  return {
    async ready(timeoutMs = 30_000) {
      await Promise.all(live.map((p) => p.waitFor(event('ready'), timeoutMs)));
    },
    async killOne() {
      const victim = live.shift();
      if (!victim) throw new Error('no live provider process to kill');
      kills++;
      await victim.process.stop('SIGKILL');
      start();
    },
    get kills() {
      return kills;
    },
    live: () => live,
    acceptedReports: () =>
      all.flatMap((p) =>
        p
          .lines()
          .filter((line) => line.msg === 'task reported' && line.status === 'successful')
          .map((line) => ({ taskId: line.taskId!, attempt: Number(line.attempt), by: labels.get(p)! })),
      ),
    failedRequests: () =>
      all.flatMap((p) =>
        p
          .lines()
          .filter(event('http'))
          .map((line) => ({ ...(line as unknown as Omit<HttpRecord, 'by'>), by: labels.get(p)! })),
      ),
    async stop() {
      const stopping = live;
      live = [];
      await Promise.all(stopping.map((p) => p.process.stop('SIGKILL')));
    },
  };
}
