import { setTimeout as sleep } from 'node:timers/promises';
import { attachShutdownListeners, createDefaultLogger, defineProvider, runProviders } from '@taskproc/provider-sdk';
import { testProviderDescriptor } from '../providers/test-provider-descriptor.ts';
import { chaosOutput, chaosWorkMs } from './chaos-task.ts';
import { classifyFetchError, type HttpOutcome } from './http-outcome.ts';

// A provider process of the chaos suites (started by provider-pool.ts): reverses its input text
// after a short, input-derived pause. Its JSON log lines on stderr are what the suites count:
// the SDK's `task reported` lines, and an `http` line for every request that got a 5xx or no
// answer at all, with wall-clock times so the suite can tell outage windows from the rest.

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const providerId = required('CHAOS_PROVIDER_ID');
const taskType = required('CHAOS_TASK_TYPE');

const logger = createDefaultLogger('info');
const emit = (event: string, fields: Record<string, unknown> = {}) => logger.info({ event, ...fields }, event);

const provider = defineProvider({
  id: providerId,
  ...testProviderDescriptor(providerId, taskType, 'echo'),
  async process(input, ctx) {
    const text = String(input.input);
    await sleep(chaosWorkMs(text), undefined, { signal: ctx.signal });
    return { output: chaosOutput(text) };
  },
});

// Sees every request the SDK sends. Requests the SDK aborts on purpose (stop, a lease that
// ended) are not failures and are not logged.
const observingFetch: typeof fetch = async (input, init) => {
  const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
  const startedAt = Date.now();
  const log = (outcome: HttpOutcome) => emit('http', { path, startedAt, endedAt: Date.now(), outcome });
  try {
    const res = await fetch(input, init);
    if (res.status >= 500) log(res.status);
    return res;
  } catch (err) {
    if (!init?.signal?.aborted) log(classifyFetchError(err));
    throw err;
  }
};

const runner = runProviders({
  url: required('TASKPROC_URL'),
  token: required('TASKPROC_TOKEN'),
  providers: [provider],
  concurrency: Number(process.env.CHAOS_CONCURRENCY ?? 4),
  waitMs: 10_000,
  leaseMs: Number(process.env.CHAOS_LEASE_MS ?? 3_000),
  logger,
  fetch: observingFetch,
});
attachShutdownListeners(runner);
runner.ready.then(
  () => emit('ready'),
  (err: unknown) => emit('not-ready', { error: String(err) }),
);
runner.done.catch(() => {
  process.exitCode = 1;
});
