import { z } from 'zod';
import { findTaskKind, taskKinds, type TaskKind } from './task-kinds.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The hosts of OpenAI's own API; anything else is an OpenAI-compatible server that may need no key. */
const officialHosts = new Set(['api.openai.com']);

const modelVariables = Object.fromEntries(
  taskKinds.map((k) => [`OPENAI_MODEL_${k.key.toUpperCase()}`, z.string().min(1).optional()]),
) as Record<`OPENAI_MODEL_${Uppercase<TaskKind>}`, z.ZodOptional<z.ZodString>>;

/**
 * Environment of the OpenAI provider process. Each option's default is written where it is
 * declared; README.md lists them for operators.
 */
export const EnvSchema = z.object({
  /** Coordinator base URL, e.g. http://127.0.0.1:8700. Required. */
  TASKPROC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8700' }),
  /** Provider token (role `provider`) for the coordinator. Required. */
  TASKPROC_TOKEN: z.string().min(1),
  /** API key. Required for api.openai.com; local servers usually need none. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 for Ollama. Default: OpenAI's. */
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:11434/v1' }).optional(),
  /** Model of every text kind without its own OPENAI_MODEL_<KIND>. Default gpt-4o-mini. */
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ...modelVariables,
  /** Comma-separated task kinds (`summary`) or task type ids (`core:text2text:summary`) not to serve. */
  OPENAI_DISABLED_TYPES: z.string().default(''),
  /** Cap on generated tokens per request. Default: unset (the model's own limit). */
  OPENAI_MAX_TOKENS: int(1, 1_000_000).optional(),
  /** Context window of the text models in tokens; long texts are split to fit (chars/4 estimate). Default 8192. */
  OPENAI_CONTEXT_TOKENS: int(512, 10_000_000).default(8192),
  /** Time one API request may take, ms. Default 120 s. */
  OPENAI_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
  /** Retries of one request after 429, 5xx or a connection error. Default 3. */
  OPENAI_MAX_RETRIES: int(0, 20).default(3),
  /** Longest wait before a retry, ms; a longer Retry-After fails the task at once. Default 60 s. */
  OPENAI_MAX_RETRY_DELAY_MS: int(0, 3_600_000).default(60_000),
  /** Tasks processed at the same time by this process. Default 4. */
  OPENAI_CONCURRENCY: int(1, 1_000).default(4),
  /** Size of generated images. Default 1024x1024. */
  OPENAI_IMAGE_SIZE: z.string().regex(/^(auto|\d+x\d+)$/, 'must be "auto" or WIDTHxHEIGHT').default('1024x1024'),
  /** Most images one text2image task may ask for. Default 10. */
  OPENAI_MAX_IMAGES: int(1, 100).default(10),
  /** Largest audio file sent for transcription, bytes. Default 25 MiB (OpenAI's limit). */
  OPENAI_MAX_AUDIO_BYTES: int(1, 10_737_418_240).default(26_214_400),
  /** Prefix of the provider ids (`<prefix>:summary`); run two processes side by side with different prefixes. Default openai. */
  OPENAI_PROVIDER_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits and . _ -')
    .default('openai'),
  /** Provider name shown to users. Default "OpenAI", or "OpenAI-compatible (<host>)" with OPENAI_BASE_URL. */
  OPENAI_SERVICE_NAME: z.string().min(1).max(200).optional(),
  /** pino log level. Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The provider's configuration, parsed once at the edge and passed down. */
export interface OpenAiProviderConfig {
  taskprocUrl: string;
  taskprocToken: string;
  apiKey: string | undefined;
  /** Undefined for OpenAI's own endpoint. */
  baseUrl: string | undefined;
  /** True when requests go to OpenAI itself (decides the key requirement and the max-tokens parameter). */
  official: boolean;
  models: Record<TaskKind, string>;
  enabledKinds: ReadonlySet<TaskKind>;
  maxTokens: number | undefined;
  contextTokens: number;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  concurrency: number;
  imageSize: string;
  maxImages: number;
  maxAudioBytes: number;
  providerPrefix: string;
  serviceName: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

/** Raised for configuration that cannot work; main.ts prints it and exits. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the provider configuration from an environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): OpenAiProviderConfig {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = EnvSchema.safeParse(known);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  // The checks across variables run on what was given even when a variable failed above, so
  // one start names every mistake.
  const baseUrl = parsed.success ? parsed.data.OPENAI_BASE_URL : URL.canParse(known.OPENAI_BASE_URL ?? '') ? known.OPENAI_BASE_URL : undefined;
  const official = baseUrl === undefined ? known.OPENAI_BASE_URL === undefined : officialHosts.has(new URL(baseUrl).hostname);
  if (official && !known.OPENAI_API_KEY) {
    problems.push(
      '  OPENAI_API_KEY: required for the official OpenAI API (set OPENAI_BASE_URL to use a local OpenAI-compatible server without a key)',
    );
  }
  const disabled = new Set<TaskKind>();
  for (const name of (known.OPENAI_DISABLED_TYPES ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const kind = findTaskKind(name);
    if (kind) disabled.add(kind);
    else problems.push(`  OPENAI_DISABLED_TYPES: unknown task type "${name}" (known: ${taskKinds.map((k) => k.key).join(', ')})`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const e = parsed.data;

  // In list order, so a kind's `sameModelAs` is resolved before the kind itself.
  const models = {} as Record<TaskKind, string>;
  for (const k of taskKinds) {
    const own = e[`OPENAI_MODEL_${k.key.toUpperCase()}` as keyof typeof e] as string | undefined;
    const shared = 'sameModelAs' in k ? models[k.sameModelAs] : undefined;
    models[k.key] = own ?? shared ?? ('defaultModel' in k ? k.defaultModel : e.OPENAI_MODEL);
  }

  return {
    taskprocUrl: e.TASKPROC_URL,
    taskprocToken: e.TASKPROC_TOKEN,
    apiKey: e.OPENAI_API_KEY,
    baseUrl: e.OPENAI_BASE_URL,
    official,
    models,
    enabledKinds: new Set(taskKinds.map((k) => k.key).filter((k) => !disabled.has(k))),
    maxTokens: e.OPENAI_MAX_TOKENS,
    contextTokens: e.OPENAI_CONTEXT_TOKENS,
    timeoutMs: e.OPENAI_TIMEOUT_MS,
    maxRetries: e.OPENAI_MAX_RETRIES,
    maxRetryDelayMs: e.OPENAI_MAX_RETRY_DELAY_MS,
    concurrency: e.OPENAI_CONCURRENCY,
    imageSize: e.OPENAI_IMAGE_SIZE,
    maxImages: e.OPENAI_MAX_IMAGES,
    maxAudioBytes: e.OPENAI_MAX_AUDIO_BYTES,
    providerPrefix: e.OPENAI_PROVIDER_PREFIX,
    serviceName:
      e.OPENAI_SERVICE_NAME ??
      (official ? 'OpenAI' : `OpenAI-compatible (${new URL(e.OPENAI_BASE_URL!).host})`),
    logLevel: e.LOG_LEVEL,
  };
}
