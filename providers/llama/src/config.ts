import { z } from 'zod';
import { defaultMaxTokens, defaultTemperature, findTaskKind, taskKinds, type TaskKind } from './task-kinds.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const temperature = z.coerce.number().min(0).max(2);
const maxTokens = int(1, 1_000_000);

const perKindVariables = Object.fromEntries(
  taskKinds.flatMap((k) => [
    [`LLAMA_MAX_TOKENS_${k.key.toUpperCase()}`, maxTokens.optional()],
    [`LLAMA_TEMPERATURE_${k.key.toUpperCase()}`, temperature.optional()],
  ]),
) as Record<`LLAMA_MAX_TOKENS_${Uppercase<TaskKind>}`, z.ZodOptional<typeof maxTokens>> &
  Record<`LLAMA_TEMPERATURE_${Uppercase<TaskKind>}`, z.ZodOptional<typeof temperature>>;

/**
 * Environment of the llama provider process. Each option's default is written where it is
 * declared; README.md lists them for operators.
 */
export const EnvSchema = z.object({
  /** Coordinator base URL, e.g. http://127.0.0.1:8700. Required. */
  TASKPROC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8700' }),
  /** Provider token (role `provider`) for the coordinator. Required. */
  TASKPROC_TOKEN: z.string().min(1),
  /** Path of the GGUF model file. Required; checked at start (model-file.ts). */
  LLAMA_MODEL_PATH: z.string({ error: 'required: the path of a GGUF model file' }).min(1),
  /** Context of each parallel sequence, in tokens; long texts are split to fit. Default 4096. */
  LLAMA_CONTEXT_SIZE: int(256, 1_048_576).default(4096),
  /** Tasks worked on at once = parallel sequences of the one loaded model (memory grows with each). Default 1. */
  LLAMA_CONCURRENCY: int(1, 64).default(1),
  /** CPU threads of the evaluation. Default: the machine's math cores (node-llama-cpp's cpuMathCores). */
  LLAMA_THREADS: int(1, 1024).optional(),
  /** Layers offloaded to a GPU: a number, `auto` or `max`. Default 0: the CPU only, no GPU backend is even probed. */
  LLAMA_GPU_LAYERS: z.union([z.enum(['auto', 'max']), int(0, 10_000)], { error: 'must be a number of layers, "auto" or "max"' }).default(0),
  /** Comma-separated task kinds (`summary`) or task type ids (`core:text2text:summary`) to serve. Default: all of them. */
  LLAMA_TYPES: z.string().default(''),
  /** Cap on generated tokens of every kind without LLAMA_MAX_TOKENS_<KIND>; a kind with a smaller default keeps it. Default: the kind's (1024; headline 64, topics 128, generateemoji 16). */
  LLAMA_MAX_TOKENS: maxTokens.optional(),
  /** Sampling temperature of every kind without LLAMA_TEMPERATURE_<KIND>. Default: the kind's (0.2 precise kinds, 0.7 the others). */
  LLAMA_TEMPERATURE: temperature.optional(),
  ...perKindVariables,
  /** How long a graceful stop (SIGTERM) lets running tasks finish before they are aborted and handed back, ms. Default 10 s. */
  LLAMA_GRACE_MS: int(0, 86_400_000).default(10_000),
  /** Prefix of the provider ids (`<prefix>:summary`). Default llama. */
  LLAMA_PROVIDER_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits and . _ -')
    .default('llama'),
  /** Provider name shown to users. Default "Local model (<file name>)". */
  LLAMA_SERVICE_NAME: z.string().min(1).max(200).optional(),
  /** pino log level. Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** How one kind generates. */
export interface GenerationSettings {
  maxTokens: number;
  temperature: number;
}

/** The provider's configuration, parsed once at the edge and passed down. */
export interface LlamaProviderConfig {
  taskprocUrl: string;
  taskprocToken: string;
  modelPath: string;
  contextSize: number;
  concurrency: number;
  threads: number | undefined;
  gpuLayers: number | 'auto' | 'max';
  enabledKinds: ReadonlySet<TaskKind>;
  generation: Record<TaskKind, GenerationSettings>;
  graceMs: number;
  providerPrefix: string;
  serviceName: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

/** Raised for configuration that cannot work; main.ts prints it and exits. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the provider configuration from an environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): LlamaProviderConfig {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = EnvSchema.safeParse(known);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  // LLAMA_TYPES is checked even when another variable failed above, so one start names every mistake.
  const wanted = new Set<TaskKind>();
  for (const name of (known.LLAMA_TYPES ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const kind = findTaskKind(name);
    if (kind) wanted.add(kind);
    else problems.push(`  LLAMA_TYPES: unknown task type "${name}" (known: ${taskKinds.map((k) => k.key).join(', ')})`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const e = parsed.data;

  const generation = {} as Record<TaskKind, GenerationSettings>;
  for (const k of taskKinds) {
    const upper = k.key.toUpperCase() as Uppercase<TaskKind>;
    generation[k.key] = {
      // LLAMA_MAX_TOKENS sets the others but never raises a short kind's own limit (a headline stays short).
      maxTokens:
        e[`LLAMA_MAX_TOKENS_${upper}`] ??
        ('maxTokens' in k ? Math.min(k.maxTokens, e.LLAMA_MAX_TOKENS ?? k.maxTokens) : (e.LLAMA_MAX_TOKENS ?? defaultMaxTokens)),
      temperature: e[`LLAMA_TEMPERATURE_${upper}`] ?? e.LLAMA_TEMPERATURE ?? defaultTemperature[k.precise ? 'precise' : 'other'],
    };
  }

  return {
    taskprocUrl: e.TASKPROC_URL,
    taskprocToken: e.TASKPROC_TOKEN,
    modelPath: e.LLAMA_MODEL_PATH,
    contextSize: e.LLAMA_CONTEXT_SIZE,
    concurrency: e.LLAMA_CONCURRENCY,
    threads: e.LLAMA_THREADS,
    gpuLayers: e.LLAMA_GPU_LAYERS,
    enabledKinds: wanted.size > 0 ? wanted : new Set(taskKinds.map((k) => k.key)),
    generation,
    graceMs: e.LLAMA_GRACE_MS,
    providerPrefix: e.LLAMA_PROVIDER_PREFIX,
    serviceName: e.LLAMA_SERVICE_NAME ?? `Local model (${e.LLAMA_MODEL_PATH.split(/[\\/]/).pop()})`,
    logLevel: e.LOG_LEVEL,
  };
}
