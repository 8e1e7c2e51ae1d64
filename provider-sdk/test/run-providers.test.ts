import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ProcessingError,
  RetryableError,
  defineProvider,
  runProviders,
  type ProviderContext,
  type ProviderRunner,
  type RunProvidersOptions,
} from '../src/index.ts';
import { coordinatorUrl, createFakeCoordinator, fetchThroughMsw, makeTask, problem, type FakeCoordinator } from './fake-coordinator.ts';
import { createMemoryLogger } from './memory-logger.ts';

let fake: FakeCoordinator;
const runners: ProviderRunner[] = [];

beforeEach(() => {
  fake = createFakeCoordinator();
  fake.server.listen({ onUnhandledRequest: 'error' });
});
afterEach(async () => {
  // Nothing may outlive its test: every runner stopped, no claim left parked.
  await Promise.all(runners.splice(0).map((runner) => runner.stop({ graceMs: 0 })));
  expect(fake.parkedCount()).toBe(0);
  fake.server.close();
});

type Handler = (input: Record<string, unknown>, ctx: ProviderContext) => Promise<Record<string, unknown>>;

function start(handler: Handler, options: Partial<RunProvidersOptions> = {}) {
  const logger = createMemoryLogger();
  const provider = defineProvider({
    id: 'test:summary',
    name: 'Test summary',
    taskType: 'core:text2text:summary',
    expectedRuntime: 1,
    process: (input, ctx) => handler(input, ctx) as Promise<{ output: string }>,
  });
  const runner = runProviders({
    url: coordinatorUrl,
    token: 'tok',
    providers: [provider],
    waitMs: 5_000,
    heartbeatIntervalMs: 50,
    logger,
    fetch: fetchThroughMsw,
    ...options,
  });
  runners.push(runner);
  return { runner, logger };
}

/** A handler's work that only ends when ctx.signal aborts: rejects with the reason, after telling `seen`. */
function untilAborted(ctx: { signal: AbortSignal }, seen: (reason: unknown) => void): Promise<never> {
  return new Promise((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => {
      seen(ctx.signal.reason);
      reject(ctx.signal.reason);
    });
  });
}

const resultOf = (taskId: number) => fake.waitForCall((c) => c.path === `/v1/work/${taskId}/result`);

describe('runProviders', () => {
  it('registers, claims, reports progress and the output', async () => {
    const { runner } = start(async (input, ctx) => {
      await ctx.reportProgress(0.5);
      expect(ctx).toMatchObject({ taskId: 1, attempt: 1, appId: 'app', userId: 'alice' });
      return { output: String(input.input).toUpperCase() };
    });
    expect(runner.state).toBe('idle');
    await runner.ready;
    expect(fake.calls[0]).toMatchObject({ method: 'PUT', path: '/v1/providers/test%3Asummary' });
    expect(fake.calls[0]!.body).toMatchObject({ name: 'Test summary', taskType: 'core:text2text:summary', expectedRuntime: 1 });
    fake.addTask(makeTask(1, { input: 'hello' }));
    const result = await resultOf(1);
    expect(result.body).toEqual({ leaseId: expect.any(String), output: { output: 'HELLO' } });
    const progress = fake.callsTo('/1/progress').map((c) => c.body.progress);
    expect(progress).toContain(0.5);
    expect(runner.state).toBe('running');
  });

  it('claims as many tasks as it has free slots, and no more', async () => {
    const release: Array<() => void> = [];
    start(() => new Promise((resolve) => release.push(() => resolve({ output: 'x' }))), { concurrency: 3 });
    for (let id = 1; id <= 5; id++) fake.addTask(makeTask(id, { input: 'x' }));
    await fake.waitForCall((c) => c.path.endsWith('/next'));
    await expect.poll(() => release.length).toBe(3);
    expect(fake.callsTo('/next')[0]!.body).toMatchObject({ providerIds: ['test:summary'], max: 3, waitMs: 5_000 });
    // All slots are taken: no further claim until one frees.
    expect(fake.callsTo('/next')).toHaveLength(1);
    release.shift()!();
    // The freed slot is claimed along with the result that freed it.
    await fake.waitForCall((c) => c.path === '/v1/work/results' && c.body.next?.max === 1);
    expect(fake.callsTo('/next')).toHaveLength(1);
    await expect.poll(() => release.length).toBe(3);
    release.splice(0).forEach((r) => r());
  });

  it('sends the next claim along with the results that freed the slots, ahead of any claim of its own', async () => {
    start(async (input) => ({ output: String(input.input) }), { concurrency: 1 });
    fake.addTask(makeTask(1, { input: 'a' }));
    fake.addTask(makeTask(2, { input: 'b' }));
    await resultOf(2);
    await expect.poll(() => fake.parkedCount()).toBe(1);
    // Task 2 came with task 1's result; the only claims of their own are the first and the
    // long-poll after the queue ran dry.
    const batches = fake.callsTo('/v1/work/results');
    expect(batches[0]!.body).toMatchObject({ results: [{ taskId: 1 }], next: { providerIds: ['test:summary'], max: 1, waitMs: 0 } });
    expect(fake.callsTo('/next')).toHaveLength(2);
  });

  it('beats on the lease again and again while process runs', async () => {
    start(async (_input, ctx) => {
      // Three beats (every 50 ms) with no progress reported: each beat arms the next.
      await expect.poll(() => fake.callsTo(`/${ctx.taskId}/progress`).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
      return { output: 'done' };
    });
    fake.addTask(makeTask(9, { input: 'x' }));
    expect((await resultOf(9)).body).toMatchObject({ output: { output: 'done' } });
    expect(fake.callsTo('/9/progress').map((c) => c.body)).toEqual(
      expect.arrayContaining([{ leaseId: expect.any(String) }]),
    );
  });

  it('aborts ctx.signal when a heartbeat answers task_cancelled, and reports nothing', async () => {
    let seenReason: unknown;
    start((_input, ctx) => {
      fake.cancel(ctx.taskId);
      return untilAborted(ctx, (reason) => (seenReason = reason));
    });
    fake.addTask(makeTask(7, { input: 'x' }));
    await expect.poll(() => seenReason).toBeInstanceOf(AbortError);
    expect((seenReason as AbortError).kind).toBe('cancelled');
    await expect.poll(() => fake.callsTo('/7/progress').length).toBeGreaterThan(0);
    expect(fake.callsTo('/7/result')).toHaveLength(0);
    expect(fake.callsTo('/7/release')).toHaveLength(0);
  });

  it('aborts ctx.signal at once when the control stream says the task was cancelled, with no heartbeat', async () => {
    let seenReason: unknown;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    start(
      (_input, ctx) => {
        started();
        return untilAborted(ctx, (reason) => (seenReason = reason));
      },
      { heartbeatIntervalMs: 60_000 },
    );
    await expect.poll(() => fake.controlStreamCount()).toBe(1);
    fake.addTask(makeTask(9, { input: 'x' }));
    await running;
    fake.pushLeaseEnded({ taskId: 9, providerId: 'test:summary', leaseId: null, reason: 'cancelled' });
    await expect.poll(() => seenReason).toBeInstanceOf(AbortError);
    expect((seenReason as AbortError).kind).toBe('cancelled');
    expect(fake.callsTo('/9/progress')).toHaveLength(0);
    expect(fake.callsTo('/9/result')).toHaveLength(0);
  });

  it('sends what ctx.stream wrote before the result when the task asked for streaming, and nothing when not', async () => {
    start(async (input, ctx) => {
      ctx.stream('Hel');
      ctx.stream({ output: 'lo' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      ctx.stream('!');
      return { output: `${input.input}: Hello!` };
    });
    fake.addTask({ ...makeTask(12, { input: 'streamed' }), preferStreaming: true });
    const result = await resultOf(12);
    const streamed = fake.callsTo('/v1/work/stream').flatMap((c) => c.body.items as Array<{ taskId: number; seq: number; delta: { output: string } }>);
    expect(streamed.map((i) => i.delta.output).join('')).toBe('Hello!');
    expect(streamed.map((i) => i.seq)).toEqual(streamed.map((_, n) => n + 1));
    expect(Math.max(...fake.callsTo('/v1/work/stream').map((c) => c.at))).toBeLessThan(result.at);

    fake.addTask(makeTask(13, { input: 'quiet' }));
    await resultOf(13);
    expect(fake.callsTo('/v1/work/stream').flatMap((c) => c.body.items).filter((i: any) => i.taskId === 13)).toEqual([]);
  });

  it('reportProgress rejects with the abort reason once the task is cancelled', async () => {
    let progressError: unknown;
    start(async (_input, ctx) => {
      fake.cancel(ctx.taskId);
      progressError = await ctx.reportProgress(0.3).catch((err: unknown) => err);
      return { output: 'ignored' };
    }, { heartbeatIntervalMs: 60_000 });
    fake.addTask(makeTask(8, { input: 'x' }));
    await expect.poll(() => progressError).toBeInstanceOf(AbortError);
    expect((progressError as AbortError).kind).toBe('cancelled');
    expect(fake.callsTo('/8/result')).toHaveLength(0);
  });

  it('reports ProcessingError with its user-facing message, and other errors generically', async () => {
    start(async (input) => {
      if (input.input === 'bad') throw new ProcessingError('model refused', { userFacingMessage: 'Try other words' });
      throw new TypeError('boom');
    });
    fake.addTask(makeTask(10, { input: 'bad' }));
    fake.addTask(makeTask(11, { input: 'other' }));
    expect((await resultOf(10)).body.error).toEqual({ message: 'model refused', userFacingMessage: 'Try other words' });
    expect((await resultOf(11)).body.error).toEqual({
      message: 'TypeError: boom',
      userFacingMessage: 'The task could not be processed.',
    });
  });

  it('runs process again after a RetryableError, honouring retryAfterMs, then gives up', async () => {
    const runs: number[] = [];
    start(async (input) => {
      runs.push(performance.now());
      if (input.input === 'flaky' && runs.length < 2) throw new RetryableError('rate limited', { retryAfterMs: 120 });
      if (input.input === 'flaky') return { output: 'ok' };
      throw new RetryableError('still limited', { retryAfterMs: 10 });
    }, { retryableAttempts: 2 });
    fake.addTask(makeTask(12, { input: 'flaky' }));
    expect((await resultOf(12)).body.output).toEqual({ output: 'ok' });
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(100);
    fake.addTask(makeTask(13, { input: 'hopeless' }));
    expect((await resultOf(13)).body.error.message).toBe('still limited (gave up after 2 attempts)');
  });

  it('retries the result on a transient error, honouring Retry-After', async () => {
    let failures = 0;
    fake.override((call) => {
      if (call.path.endsWith('/result') && failures < 2) {
        failures++;
        return problem(503, 'unavailable', { headers: { 'retry-after': '0' } });
      }
      return undefined;
    });
    start(async () => ({ output: 'done' }));
    fake.addTask(makeTask(14, { input: 'x' }));
    await expect.poll(() => fake.callsTo('/14/result').length).toBe(3);
    const bodies = fake.callsTo('/14/result').map((c) => JSON.stringify(c.body));
    expect(new Set(bodies).size).toBe(1);
  });

  it('logs invalid_output with the slot and carries on', async () => {
    fake.override((call) => (call.path.endsWith('/result') ? problem(422, 'invalid_output', { slot: 'output' }) : undefined));
    const { logger } = start(async () => ({ output: 42 }));
    fake.addTask(makeTask(15, { input: 'x' }));
    await expect
      .poll(() => logger.entries.find((e) => e.msg === 'the coordinator rejected the output and failed the task'))
      .toMatchObject({ level: 'error', fields: { slot: 'output', taskId: 15 } });
    expect(fake.callsTo('/15/result')).toHaveLength(1);
  });

  it('backs off after claim errors instead of spinning', async () => {
    let failures = 0;
    fake.override((call) => (call.path.endsWith('/next') && failures++ < 2 ? problem(500, 'internal_error') : undefined));
    start(async () => ({ output: 'x' }));
    await expect.poll(() => fake.callsTo('/next').length, { timeout: 5_000 }).toBe(3);
    const [first, second, third] = fake.callsTo('/next').map((c) => c.at);
    // A transient failure (5xx): 250 ms then 500 ms, less up to a quarter of jitter.
    expect(second! - first!).toBeGreaterThanOrEqual(185);
    expect(third! - second!).toBeGreaterThanOrEqual(370);
  });

  it('stops on a refused token: done rejects, state is stopped', async () => {
    fake.override((call) => (call.path.endsWith('/next') ? problem(401, 'unauthorized') : undefined));
    const { runner } = start(async () => ({ output: 'x' }));
    await expect(runner.done).rejects.toBeInstanceOf(AuthenticationError);
    expect(runner.state).toBe('stopped');
  });

  it('rejects ready when registration is refused', async () => {
    fake.override((call) => (call.method === 'PUT' ? problem(409, 'provider_conflict') : undefined));
    const { runner } = start(async () => ({ output: 'x' }));
    await expect(runner.ready).rejects.toMatchObject({ status: 409, code: 'provider_conflict' });
    await expect(runner.done).rejects.toMatchObject({ code: 'provider_conflict' });
    expect(fake.callsTo('/next')).toHaveLength(0);
  });

  it('retries registration while the coordinator is unreachable', async () => {
    let failures = 0;
    fake.override((call) => (call.method === 'PUT' && failures++ < 1 ? Response.error() : undefined));
    const { runner, logger } = start(async () => ({ output: 'x' }));
    await runner.ready;
    expect(fake.calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
    expect(logger.entries.some((e) => e.msg === 'could not register; retrying')).toBe(true);
  });

  it('stop() ends a parked claim at once and returns the same promise twice', async () => {
    const { runner } = start(async () => ({ output: 'x' }), { waitMs: 60_000 });
    await fake.waitForCall((c) => c.path.endsWith('/next'));
    const first = runner.stop();
    expect(runner.stop()).toBe(first);
    expect(runner.state).toBe('stopping');
    await first;
    expect(runner.state).toBe('stopped');
    await expect(runner.done).resolves.toBeUndefined();
  });

  it('stop() lets a task finish within the grace time', async () => {
    let finish!: () => void;
    const { runner } = start(() => new Promise((resolve) => (finish = () => resolve({ output: 'late' }))));
    fake.addTask(makeTask(20, { input: 'x' }));
    await expect.poll(() => finish).toBeTypeOf('function');
    const stopped = runner.stop({ graceMs: 5_000 });
    finish();
    await stopped;
    expect(fake.callsTo('/20/result')).toHaveLength(1);
    expect(fake.callsTo('/20/release')).toHaveLength(0);
  });

  it('stop() aborts and releases what outlives the grace time, even a handler ignoring its signal', async () => {
    let signal: AbortSignal | undefined;
    const { runner } = start((_input, ctx) => {
      signal = ctx.signal;
      return new Promise(() => {}); // never settles, ignores the signal
    });
    fake.addTask(makeTask(21, { input: 'x' }));
    await expect.poll(() => signal).toBeDefined();
    await runner.stop({ graceMs: 50 });
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toMatchObject({ name: 'AbortError', kind: 'shutdown' });
    expect(fake.callsTo('/21/release')).toHaveLength(1);
    expect(fake.callsTo('/21/result')).toHaveLength(0);
    expect(runner.inFlight).toBe(0);
  });
});
