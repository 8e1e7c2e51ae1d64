import { AbortError, attachShutdownListeners, createDefaultLogger, defineProvider, runProviders, type ProviderContext } from '@taskproc/provider-sdk';
import { testProviderDescriptor, type TestBehaviour } from './test-provider-descriptor.ts';

// A provider process for the end-to-end tests, steered by the environment (see
// provider-process.ts for the variables). It logs JSON lines on stderr: the SDK's own logs and
// `event` lines that tests wait on.

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const optionalInt = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
const behaviours: readonly TestBehaviour[] = ['echo', 'gated', 'files'];
const behaviour = (process.env.TEST_BEHAVIOUR ?? 'echo') as TestBehaviour;
if (!behaviours.includes(behaviour)) throw new Error(`TEST_BEHAVIOUR must be one of ${behaviours.join(', ')}`);
const env = {
  url: required('TASKPROC_URL'),
  token: required('TASKPROC_TOKEN'),
  providerId: required('TEST_PROVIDER_ID'),
  taskType: required('TEST_TASK_TYPE'),
  gateUrl: process.env.TEST_GATE_URL,
};

const logger = createDefaultLogger('info');
const emit = (event: string, fields: Record<string, unknown> = {}) => logger.info({ event, ...fields }, event);

async function gated(input: Record<string, unknown>, ctx: ProviderContext) {
  await ctx.reportProgress(0.5);
  emit('started', { taskId: ctx.taskId, attempt: ctx.attempt });
  try {
    const res = await fetch(`${env.gateUrl}/${ctx.taskId}`, { signal: ctx.signal });
    await res.text();
  } catch (err) {
    if (!ctx.signal.aborted) throw err;
    const kind = ctx.signal.reason instanceof AbortError ? ctx.signal.reason.kind : 'unknown';
    emit('aborted', { taskId: ctx.taskId, kind });
    // Returns anyway, as a careless handler would: the SDK must discard this.
    return { output: 'too late' };
  }
  return { output: String(input.input).toUpperCase() };
}

async function reverseFile(input: Record<string, unknown>, ctx: ProviderContext) {
  const file = await ctx.readFile(Number(input.image));
  emit('file-read', { taskId: ctx.taskId, name: file.name, mimeType: file.mimeType, size: file.bytes.length });
  const id = await ctx.writeFile(file.bytes.slice().reverse(), { mimeType: 'application/octet-stream', name: 'umgekehrt-ü.bin' });
  return { file: id };
}

const provider = defineProvider({
  id: env.providerId,
  ...testProviderDescriptor(env.providerId, env.taskType, behaviour),
  async process(input, ctx) {
    if (behaviour === 'gated') return gated(input, ctx);
    if (behaviour === 'files') return reverseFile(input, ctx);
    await ctx.reportProgress(0.5);
    emit('started', { taskId: ctx.taskId, attempt: ctx.attempt });
    return { output: String(input.input).toUpperCase() };
  },
});

// Counts claim requests on the wire, so tests can tell which long-poll brought a task.
let claims = 0;
const countingFetch: typeof fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  if (!url.endsWith('/v1/work/next')) return fetch(input, init);
  const n = ++claims;
  emit('claim-request', { n, body: JSON.parse(String(init?.body)) });
  const res = await fetch(input, init);
  const body = res.ok ? ((await res.clone().json()) as { tasks: Array<{ task: { id: number } }> }) : undefined;
  emit('claim-response', { n, status: res.status, taskIds: body?.tasks.map((t) => t.task.id) ?? [] });
  return res;
};

const runner = runProviders({
  url: env.url,
  token: env.token,
  providers: [provider],
  concurrency: optionalInt('TEST_CONCURRENCY') ?? 1,
  waitMs: optionalInt('TEST_WAIT_MS') ?? 30_000,
  leaseMs: optionalInt('TEST_LEASE_MS'),
  heartbeatIntervalMs: optionalInt('TEST_HEARTBEAT_MS'),
  graceMs: optionalInt('TEST_GRACE_MS') ?? 10_000,
  logger,
  fetch: countingFetch,
});
attachShutdownListeners(runner);
runner.ready.then(
  () => emit('ready'),
  (err: unknown) => emit('not-ready', { error: String(err) }),
);
runner.done.then(
  () => emit('stopped'),
  (err: unknown) => {
    emit('stopped', { error: String(err) });
    process.exitCode = 1;
  },
);
