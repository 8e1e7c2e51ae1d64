import { z } from 'zod';
import { SeedTokensSchema } from './auth/seed-token-list.ts';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Coordinator configuration, read from the environment once at start (main.ts) and passed down.
 * Each option's default is written where it is declared.
 */
export const ConfigSchema = z.object({
  /** TCP port. Default 8700. */
  PORT: int(0, 65535).default(8700),
  /** Listen address. Default 127.0.0.1: nothing is exposed unless the operator says so. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Port of a second listener that serves only GET /metrics, without a token, for a Prometheus
   * that should not hold an admin token. Unset (the default): metrics only on the API port, with
   * the admin token. Bind it to an address only the scraper reaches (TASKPROC_METRICS_HOST).
   */
  TASKPROC_METRICS_PORT: int(0, 65535).optional(),
  /** Address of the metrics listener. Default 127.0.0.1. */
  TASKPROC_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Directory of the embedded PGlite database and the local file store. Default ./data. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** postgres://... to use PostgreSQL instead of embedded PGlite. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Seeds a known admin token (for automation) instead of printing a generated one. */
  TASKPROC_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** App and provider tokens to seed at start: `role:appId:secret`, comma-separated (see auth/seed-tokens.ts). */
  TASKPROC_SEED_TOKENS: SeedTokensSchema.default([]),
  /** Default lease length for claimed tasks, ms. Default 60 s. */
  TASKPROC_LEASE_MS: int(1_000, 3_600_000).default(60_000),
  /** Longest lease a provider may ask for, ms. Default 1 h. */
  TASKPROC_MAX_LEASE_MS: int(1_000, 86_400_000).default(3_600_000),
  /** Cap on a claim's long-poll wait, ms. Default 30 s. */
  TASKPROC_MAX_WAIT_MS: int(0, 300_000).default(30_000),
  /** Claims per task before a lost lease fails it. Default 3. */
  TASKPROC_MAX_ATTEMPTS: int(1, 100).default(3),
  /** How often expired leases are swept and parked claims re-checked, ms. Default 1 s. */
  TASKPROC_SWEEP_MS: int(50, 60_000).default(1_000),
  /** A provider that has not polled for this long is passed over for the next one, ms. Default 60 s. */
  TASKPROC_PROVIDER_LIVENESS_MS: int(100, 3_600_000).default(60_000),
  /** Cap on GET /v1/tasks/{id}?waitSeconds, s. Default 60 s. */
  TASKPROC_MAX_TASK_WAIT_S: int(0, 3_600).default(60),
  /** Largest JSON request body, bytes. Default 1 MiB. */
  TASKPROC_MAX_BODY_BYTES: int(1_024, 1_073_741_824).default(1_048_576),
  /** Largest serialized task input, bytes. Default 512 KiB. */
  TASKPROC_MAX_INPUT_BYTES: int(1, 1_073_741_824).default(524_288),
  /** Largest uploaded file, bytes. Default 100 MiB. */
  TASKPROC_MAX_FILE_BYTES: int(1, 10_737_418_240).default(104_857_600),
  /** Let webhooks target private and loopback addresses. Default false. */
  TASKPROC_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** Delivery attempts per webhook before it is marked failed. Default 8. */
  TASKPROC_WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(8),
  /** First retry delay of a webhook, ms; doubles each attempt. Default 1 s. */
  TASKPROC_WEBHOOK_BACKOFF_MS: int(10, 3_600_000).default(1_000),
  /** How long task events stay resumable over SSE, hours. Default 24. */
  TASKPROC_EVENT_RETENTION_HOURS: int(1, 24 * 90).default(24),
  /** How often an idle event stream (GET /v1/events) sends a keep-alive comment, so proxies keep it open, ms. Default 15 s. */
  TASKPROC_SSE_HEARTBEAT_MS: int(100, 300_000).default(15_000),
  /** Schedules one user of an app may make per window (Nextcloud: 20 per 120 s); 0: no limit. Default 20. */
  TASKPROC_SCHEDULE_RATE_PER_USER: int(0, 1_000_000_000).default(20),
  /** Schedules one app may make per window, whoever it acts for; 0: no limit. Default 0. */
  TASKPROC_SCHEDULE_RATE_PER_APP: int(0, 1_000_000_000).default(0),
  /** The rate limits' window, s. Default 120. */
  TASKPROC_SCHEDULE_RATE_WINDOW_S: int(1, 86_400).default(120),
  /** Unfinished (scheduled or running) tasks one user of an app may have; 0: no limit. Default 1000. */
  TASKPROC_MAX_UNFINISHED_PER_USER: int(0, 1_000_000_000).default(1_000),
  /** Unfinished tasks one app may have; 0: no limit. Default 0. */
  TASKPROC_MAX_UNFINISHED_PER_APP: int(0, 1_000_000_000).default(0),
  /** Long-polls one token may have parked at once, over all coordinators; 0: no limit. Default 100. */
  TASKPROC_MAX_PARKED_POLLS_PER_TOKEN: int(0, 1_000_000).default(100),
  /**
   * Finished tasks (with their files, events and webhook deliveries) are removed this many days
   * after they ended, unless kept longer (keepUntil); 0 turns the automatic removal off. Default
   * 120, about Nextcloud's four months.
   */
  TASKPROC_RETENTION_DAYS: int(0, 36_500).default(120),
  /** How often the retention job looks for finished tasks past the period, ms. Default 1 h. */
  TASKPROC_RETENTION_SWEEP_MS: int(100, 86_400_000).default(3_600_000),
  /** pino log level. Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Parses configuration from an environment; throws one message naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
