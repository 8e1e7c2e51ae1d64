import { afterAll, beforeAll, expect, it } from 'vitest';
import { TaskCancelledError, TaskProcessingClient, type OutputStreamPart } from '@taskproc/client';
import { AbortError, defineProvider, runProviders, type Logger, type ProviderRunner } from '@taskproc/provider-sdk';
import { freePort } from '../src/chaos/free-port.ts';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  startCoordinator,
  tokenClient,
  type Http,
  type RunningCoordinator,
  type TestDatabase,
  waitForGauge,
} from '../src/index.ts';

// Partial output end to end: a real coordinator process, an SDK provider that streams one word
// at a time when the test lets it, and the app client reading the task's own event stream.

const wordsType = 'streamtest:words';
const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * What the test controls of one task (keyed by its text): the provider streams word i, then
 * waits until `release(i + 1)` before the next; `finished` settles when process returned, and
 * `aborted` with ctx.signal's reason.
 */
class Script {
  allowed = 0;
  streamed = 0;
  finished = false;
  readonly started = deferred<number>();
  readonly aborted = deferred<unknown>();
  private waiters: Array<() => void> = [];
  /** ctx.signal's reason, or a string saying it did not abort within `ms` (a heartbeat would take 20 s). */
  abortedWithin(ms: number): Promise<unknown> {
    return Promise.race([this.aborted.promise, new Promise((resolve) => setTimeout(() => resolve(`no abort within ${ms} ms`), ms))]);
  }
  release(upTo: number): void {
    this.allowed = Math.max(this.allowed, upTo);
    for (const wake of this.waiters.splice(0)) wake();
  }
  async until(i: number, signal: AbortSignal): Promise<void> {
    while (this.allowed < i) {
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}
const scripts = new Map<string, Script>();
const scriptOf = (text: string) => {
  let script = scripts.get(text);
  if (!script) scripts.set(text, (script = new Script()));
  return script;
};

const shapes = {
  inputShape: { text: { name: 'Text', description: 'Words to stream back', type: 'Text' } },
  outputShape: { output: { name: 'Output', description: 'The words', type: 'Text' } },
} as const;

const streamer = defineProvider({
  id: 'streamtest:words',
  name: 'Streams words',
  taskType: wordsType,
  customTaskType: { id: wordsType, name: 'Words', description: 'Streams its input back word by word', ...shapes },
  async process(input, ctx) {
    const script = scriptOf(input.text);
    ctx.signal.addEventListener('abort', () => script.aborted.resolve(ctx.signal.reason), { once: true });
    script.started.resolve(ctx.taskId);
    const words = input.text.split(' ');
    for (const [i, word] of words.entries()) {
      await script.until(i + 1, ctx.signal);
      ctx.stream(i === 0 ? word : ` ${word}`);
      script.streamed = i + 1;
    }
    script.finished = true;
    return { output: input.text };
  },
});

const plainType = 'streamtest:plain';
const plain = defineProvider({
  id: 'streamtest:plain',
  name: 'Does not stream',
  taskType: plainType,
  customTaskType: { id: plainType, name: 'Plain', description: 'Answers at once, never streams', ...shapes },
  process: async (input) => ({ output: input.text.toUpperCase() }),
});

/** Collects parts until `stop(part)` says so (the iterator is closed then: the connection drops). */
async function collect(
  parts: AsyncIterable<OutputStreamPart>,
  stop: (part: OutputStreamPart, seen: OutputStreamPart[]) => boolean = () => false,
) {
  const seen: OutputStreamPart[] = [];
  for await (const part of parts) {
    seen.push(part);
    if (stop(part, seen)) break;
  }
  return seen;
}
const textOf = (parts: OutputStreamPart[]) => parts.map((p) => (p.kind === 'delta' ? p.text : '')).join('');

describeEachDatabase('streaming output and pushed cancellation', (kind) => {
  let db: TestDatabase;
  let port: number;
  let coordinator: RunningCoordinator;
  let admin: Http;
  let client: TaskProcessingClient;
  let runner: ProviderRunner;
  let appToken: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    port = await freePort();
    coordinator = await startCoordinator(db, { PORT: String(port) });
    admin = createHttp(coordinator.url, coordinator.adminToken);
    const app = await tokenClient(admin, 'app', 'mail');
    appToken = app.token!;
    const provider = await tokenClient(admin, 'provider', 'streamer');
    client = new TaskProcessingClient({ url: coordinator.url, token: app.token! });
    // Heartbeats every 20 s: a cancellation seen within the test's bounds came over the control stream.
    runner = runProviders({
      url: coordinator.url,
      token: provider.token!,
      providers: [streamer, plain],
      concurrency: 4,
      leaseMs: 60_000,
      waitMs: 5_000,
      logger: silent,
    });
    await runner.ready;
    await waitForControlStream();
  });
  afterAll(async () => {
    await runner?.stop({ graceMs: 0 });
    await coordinator?.stop();
    await db?.destroy();
  });

  /** The runner's control stream is open on the (current) coordinator: its gauge says so. */
  const waitForControlStream = () => waitForGauge(createHttp(coordinator.url, coordinator.adminToken), 'taskproc_control_streams', (n) => n === 1);

  it('delivers the first words before the provider finishes, in order, then the validated output', async () => {
    const text = `first delivery ${kind} one two three`;
    const script = scriptOf(text);
    script.release(1);
    const parts: OutputStreamPart[] = [];
    for await (const part of client.stream(wordsType, { text })) {
      parts.push(part);
      if (part.kind === 'delta' && parts.length === 1) {
        expect(script.finished).toBe(false);
        expect(part.text).toBe('first');
        script.release(Infinity);
      }
    }
    const done = parts.at(-1)!;
    expect(done.kind).toBe('done');
    expect(done.kind === 'done' && done.output).toEqual({ output: text });
    expect(textOf(parts)).toBe(text);
    const ids = parts.map((p) => p.eventId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('resumes after a disconnect with Last-Event-ID, across a coordinator restart, nothing missed or doubled', async () => {
    const text = `resume ${kind} alpha beta gamma delta epsilon`;
    const script = scriptOf(text);
    script.release(2);
    const task = await client.schedule({ type: wordsType, input: { text }, preferStreaming: true });
    // Read the two words the provider may stream so far (in one delta or two), then hang up.
    const before = await collect(client.streamTask(task.id), (_, seen) => textOf(seen) === `resume ${kind}`);
    expect(textOf(before)).toBe(`resume ${kind}`);
    const lastEventId = before.at(-1)!.eventId;

    await coordinator.stop();
    coordinator = await startCoordinator(db, { PORT: String(port) });
    await waitForControlStream();
    script.release(Infinity);

    const after = await collect(client.streamTask(task.id, { lastEventId }));
    expect(after.at(-1)!.kind).toBe('done');
    expect(textOf(before) + textOf(after)).toBe(text);
    expect(after.every((p) => p.eventId > lastEventId)).toBe(true);
  });

  // Replicas share PostgreSQL; a PGlite directory has one process.
  if (kind === 'postgres') it('resumes on another replica: the deltas the provider sent to A stream from B', async () => {
    const replica = await startCoordinator(db);
    try {
      const onB = new TaskProcessingClient({ url: replica.url, token: appToken });
      const text = `failover ${kind} one two three four`;
      const script = scriptOf(text);
      script.release(2);
      const task = await client.schedule({ type: wordsType, input: { text }, preferStreaming: true });
      const before = await collect(client.streamTask(task.id), (_, seen) => textOf(seen) === `failover ${kind}`);
      script.release(Infinity);
      const after = await collect(onB.streamTask(task.id, { lastEventId: before.at(-1)!.eventId }));
      expect(textOf(before) + textOf(after)).toBe(text);
      expect(after.at(-1)).toMatchObject({ kind: 'done', output: { output: text } });
    } finally {
      await replica.stop();
    }
  });

  it('stops the provider within the bounds of a push, not a heartbeat, when the task is cancelled mid-stream', async () => {
    const text = `cancel ${kind} never finished`;
    const script = scriptOf(text);
    script.release(1);
    const parts = client.stream(wordsType, { text });
    const first = await parts.next();
    expect(first.value).toMatchObject({ kind: 'delta', text: 'cancel' });
    const taskId = await script.started.promise;
    await client.cancel(taskId);
    const reason = await script.abortedWithin(5_000);
    expect(reason).toBeInstanceOf(AbortError);
    expect((reason as AbortError).kind).toBe('cancelled');
    expect(script.finished).toBe(false);
    await expect(collect(parts)).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('aborts the provider at once when its running task is deleted', async () => {
    const text = `delete ${kind} never finished`;
    const script = scriptOf(text);
    const task = await client.schedule({ type: wordsType, input: { text }, preferStreaming: true });
    await script.started.promise;
    await client.delete(task.id);
    const reason = await script.abortedWithin(5_000);
    expect(reason).toBeInstanceOf(AbortError);
    expect((reason as AbortError).kind).toBe('cancelled');
  });

  it('still works with a provider that does not stream: only the output comes', async () => {
    const parts = await collect(client.stream(plainType, { text: 'quiet' }));
    expect(parts.map((p) => p.kind)).toEqual(['done']);
    expect(parts[0]!.kind === 'done' && parts[0]!.output).toEqual({ output: 'QUIET' });
  });

  it('streams nothing when the app did not ask for it (preferStreaming false)', async () => {
    const text = `unasked ${kind} words`;
    scriptOf(text).release(Infinity);
    const task = await client.schedule({ type: wordsType, input: { text } });
    expect(task.preferStreaming).toBe(false);
    const parts = await collect(client.streamTask(task.id));
    expect(parts.map((p) => p.kind)).toEqual(['done']);
  });
});
