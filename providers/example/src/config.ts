import { z } from 'zod';

/** The example provider's configuration, read from the environment once, in main.ts. */
const ConfigSchema = z.object({
  /** Coordinator URL. Default http://127.0.0.1:8700. */
  TASKPROC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8700'),
  /** A provider token (POST /v1/admin/tokens with role "provider"). Required. */
  TASKPROC_TOKEN: z.string().min(1, 'set TASKPROC_TOKEN to a provider token'),
  /** Tasks worked on at once. Default 4. */
  CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(4),
  /** pino log level. Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ExampleConfig = z.infer<typeof ConfigSchema>;

/** Parses the environment; throws one message naming every bad variable. */
export function loadExampleConfig(env: Record<string, string | undefined>): ExampleConfig {
  const known = Object.fromEntries(Object.keys(ConfigSchema.shape).map((key) => [key, env[key] || undefined]));
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
