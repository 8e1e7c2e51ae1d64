import type { HttpSend } from '@taskproc/spec';
import { z } from 'zod';
import type { ProviderDefinition } from './define-provider.ts';
import { createDefaultLogger, type Logger } from './logger.ts';

/** What a provider process passes to `runProviders`. */
export interface RunProvidersOptions {
  /** Coordinator base URL, e.g. `http://127.0.0.1:8700`. */
  url: string;
  /** A provider token of the app the providers belong to. */
  token: string;
  /** The providers this process serves; ids must be unique. */
  providers: readonly ProviderDefinition[];
  /** Tasks worked on at once, across all providers. Default 4. */
  concurrency?: number;
  /** Long-poll wait of each claim, ms (the coordinator may cap it). Default 30 000. */
  waitMs?: number;
  /** Lease length asked for; default the coordinator's (TASKPROC_LEASE_MS). */
  leaseMs?: number;
  /** Heartbeat period of a running task, ms. Default a third of the lease. */
  heartbeatIntervalMs?: number;
  /** How long `stop()` lets running tasks finish before aborting and releasing them, ms. Default 10 000. */
  graceMs?: number;
  /** Runs of `process` per claim when it throws RetryableError. Default 3. */
  retryableAttempts?: number;
  /** Timeout of each request (a claim gets its wait on top), ms. Default 30 000. */
  requestTimeoutMs?: number;
  /**
   * Least time between two requests carrying partial output (`ctx.stream`), ms: what is streamed
   * meanwhile goes together. The first piece after a pause goes at once. Default 25.
   */
  streamIntervalMs?: number;
  /**
   * Keep a control stream open (GET /v1/work/control), so a cancelled task's `ctx.signal`
   * aborts within milliseconds instead of at its next heartbeat. Default true.
   */
  controlStream?: boolean;
  /** pino or anything pino-compatible. Default: pino, JSON lines on stderr. */
  logger?: Logger;
  /**
   * A fetch to send the runner's requests with (proxies, tracing). Default: Node's http module
   * on keep-alive connections, which costs a third of the CPU of the global fetch per request.
   */
  fetch?: typeof fetch;
  /**
   * The HTTP exchange itself, below auth, timeouts and retries (wins over `fetch`): wrap
   * `defaultHttpSend` to watch the runner's requests and answers without a fetch's cost.
   */
  send?: HttpSend;
}

const ms = (max: number) => z.number().int().min(0).max(max);

// The scalar options with their defaults, checked once when the runner is created.
const ScalarOptions = z.object({
  url: z.url({ protocol: /^https?$/ }),
  token: z.string().min(1),
  concurrency: z.number().int().min(1).max(10_000).default(4),
  waitMs: ms(300_000).default(30_000),
  leaseMs: z.number().int().min(1_000).max(3_600_000).optional(),
  heartbeatIntervalMs: z.number().int().min(10).max(3_600_000).optional(),
  graceMs: ms(86_400_000).default(10_000),
  retryableAttempts: z.number().int().min(1).max(100).default(3),
  requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
  streamIntervalMs: ms(60_000).default(25),
  controlStream: z.boolean().default(true),
});

/** Options with defaults applied. */
export type RunnerConfig = z.infer<typeof ScalarOptions> & {
  providers: readonly ProviderDefinition[];
  logger: Logger;
  fetch: typeof fetch | undefined;
  send: HttpSend | undefined;
};

/** Applies defaults and refuses bad options at once, naming the option. */
export function resolveRunnerOptions(options: RunProvidersOptions): RunnerConfig {
  const { providers, logger, fetch: fetchImpl, send, ...scalars } = options;
  const parsed = ScalarOptions.safeParse(scalars);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new TypeError(`Invalid runProviders options: ${issues.join('; ')}`);
  }
  if (providers.length === 0) throw new TypeError('Invalid runProviders options: providers: pass at least one provider');
  const ids = new Set<string>();
  for (const provider of providers) {
    if (ids.has(provider.id)) throw new TypeError(`Invalid runProviders options: providers: "${provider.id}" is listed twice`);
    ids.add(provider.id);
  }
  return {
    ...parsed.data,
    providers,
    logger: logger ?? createDefaultLogger(),
    fetch: fetchImpl,
    send,
  };
}
