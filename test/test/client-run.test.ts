import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  TaskCancelledError,
  TaskFailedError,
  TaskProcessingClient,
  TimeoutError,
  UnprocessableEntityError,
  verifyWebhook,
  WebhookVerificationError,
  type TaskStreamEvent,
} from '@taskproc/client';
import { defineProvider, ProcessingError, runProviders, type Logger, type ProviderRunner } from '@taskproc/provider-sdk';
import { describeEachDatabase, tokenClient, useCoordinator } from '../src/index.ts';

// The app client against the real coordinator process, with a real provider-sdk runner doing
// the work: results by long-poll (run), by server-sent events, and by signed webhook.

const echoType = 'clienttest:echo';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Tasks in `block` mode wait at their gate (keyed by their text) until the test opens it. */
interface Gate {
  started: Deferred<number>;
  open: Deferred<void>;
}
const gates = new Map<string, Gate>();
function gateOf(key: string): Gate {
  let gate = gates.get(key);
  if (!gate) gates.set(key, (gate = { started: deferred(), open: deferred() }));
  return gate;
}

const echo = defineProvider({
  id: 'clienttest:echo',
  name: 'Echo for client tests',
  taskType: echoType,
  expectedRuntime: 1,
  customTaskType: {
    id: echoType,
    name: 'Echo',
    description: 'Upper-cases the text; fails, or waits at a gate, when told',
    inputShape: {
      mode: { name: 'Mode', description: 'ok, fail or block', type: 'Text' },
      text: { name: 'Text', description: 'What to upper-case', type: 'Text' },
    },
    outputShape: { output: { name: 'Output', description: 'The text upper-cased', type: 'Text' } },
  },
  async process(input, ctx) {
    if (input.mode === 'fail') throw new ProcessingError(`cannot echo ${input.text}`, { userFacingMessage: 'Echo is unavailable' });
    if (input.mode === 'block') {
      const gate = gateOf(input.text);
      gate.started.resolve(ctx.taskId);
      const aborted = new Promise<never>((_, reject) => {
        if (ctx.signal.aborted) reject(ctx.signal.reason);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
      await Promise.race([gate.open.promise, aborted]);
    }
    await ctx.reportProgress(0.5);
    return { output: input.text.toUpperCase() };
  },
});

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

/** A loopback webhook receiver that hands each call to the test. */
async function startReceiver() {
  const calls: Array<{ headers: IncomingHttpHeaders; rawBody: Buffer }> = [];
  let arrived = deferred<void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      calls.push({ headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.writeHead(204).end();
      arrived.resolve();
      arrived = deferred();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    calls,
    nextCall: () => arrived.promise,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function take(stream: AsyncIterable<TaskStreamEvent>, count: number, until?: (e: TaskStreamEvent) => void) {
  const seen: TaskStreamEvent[] = [];
  for await (const event of stream) {
    seen.push(event);
    until?.(event);
    if (seen.length === count) break;
  }
  return seen;
}

describeEachDatabase('client against the coordinator', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_WEBHOOK_ALLOW_PRIVATE: 'true' });
  let runner: ProviderRunner;
  let client: TaskProcessingClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let appToken: string;

  beforeAll(async () => {
    const app = await tokenClient(fx.admin, 'app', 'mail');
    appToken = app.token!;
    const provider = await tokenClient(fx.admin, 'provider', 'echo');
    runner = runProviders({ url: fx.coordinator.url, token: provider.token!, providers: [echo], logger: silent, waitMs: 5_000 });
    await runner.ready;
    client = new TaskProcessingClient({ url: fx.coordinator.url, token: app.token! });
    receiver = await startReceiver();
  });
  // Registered after useCoordinator's, so it runs before the coordinator stops.
  afterAll(async () => {
    await runner?.stop({ graceMs: 0 });
    await receiver?.close();
  });

  it('run() resolves with the output', async () => {
    expect(await client.run(echoType, { mode: 'ok', text: 'hello' }, { customId: 'run-ok' })).toEqual({ output: 'HELLO' });
    const [task] = (await client.list({ customId: 'run-ok' })).tasks;
    expect(task).toMatchObject({ status: 'successful', progress: 1, attempts: 1, output: { output: 'HELLO' } });
  });

  /** A client of the app that notes each request it sends (method, path and query). */
  const countingClient = () => {
    const sent: string[] = [];
    const counting = new TaskProcessingClient({
      url: fx.coordinator.url,
      token: appToken,
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        sent.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
        return fetch(input, init);
      },
    });
    return { sent, counting };
  };

  it('run() schedules and waits in one request when the task ends within the wait', async () => {
    const { sent, counting } = countingClient();
    expect(await counting.run(echoType, { mode: 'ok', text: 'once' })).toEqual({ output: 'ONCE' });
    expect(sent).toEqual(['POST /v1/tasks?waitSeconds=60']);
  });

  it('schedule() calls made together share one request, each answered as it would be alone', async () => {
    const { sent, counting } = countingClient();
    const texts = Array.from({ length: 10 }, (_, i) => `together ${i}`);
    const scheduling = texts.map((text) => counting.schedule({ type: echoType, input: { mode: 'ok', text } }));
    const refused = counting.schedule({ type: 'clienttest:nope', input: {} }).catch((e: unknown) => e);
    const tasks = await Promise.all(scheduling);
    expect(await refused).toBeInstanceOf(UnprocessableEntityError);
    expect(sent).toEqual(['POST /v1/tasks/batch']);
    expect(tasks.map((t) => t.input.text)).toEqual(texts);
    for (const task of tasks) {
      expect(await counting.wait(task.id, { timeoutMs: 30_000 })).toMatchObject({ status: 'successful', output: { output: String(task.input.text).toUpperCase() } });
    }
  });

  it('run() rejects with TaskFailedError carrying both messages', async () => {
    const err = await client.run(echoType, { mode: 'fail', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err).toMatchObject({
      errorMessage: expect.stringContaining('cannot echo x'),
      userFacingErrorMessage: 'Echo is unavailable',
      task: { status: 'failed' },
    });
  });

  it('run() rejects with TaskCancelledError when the task is cancelled while it runs', async () => {
    const key = `cancel-${kind}`;
    const running = client.run(echoType, { mode: 'block', text: key }).catch((e: unknown) => e);
    const taskId = await gateOf(key).started.promise;
    expect((await client.get(taskId)).status).toBe('running');
    await client.cancel(taskId);
    const err = await running;
    expect(err).toBeInstanceOf(TaskCancelledError);
    expect(err).toMatchObject({ task: { id: taskId, status: 'cancelled' } });
  });

  it('run() times out without cancelling, and the task can be waited for again', async () => {
    const key = `timeout-${kind}`;
    const err = await client.run(echoType, { mode: 'block', text: key }, { timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const taskId = (err as TimeoutError).task!.id;
    expect(await gateOf(key).started.promise).toBe(taskId);
    expect((await client.get(taskId)).status).toBe('running');
    gateOf(key).open.resolve();
    expect(await client.wait(taskId, { timeoutMs: 30_000 })).toMatchObject({ status: 'successful', output: { output: key.toUpperCase() } });
  });

  it('refuses what the coordinator refuses, with its code', async () => {
    const err = await client.run('clienttest:nope', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(err).toMatchObject({ status: 422, code: 'unknown_task_type', requestId: expect.any(String) });
  });

  it('uploads and downloads a file with its exact name and type', async () => {
    const bytes = new TextEncoder().encode('grüße');
    const info = await client.uploadFile(bytes, { name: 'Grüße 1.txt', mimeType: 'text/plain; charset=utf-8' });
    expect(info).toMatchObject({ name: 'Grüße 1.txt', mimeType: 'text/plain; charset=utf-8', size: bytes.byteLength });
    expect(await client.downloadFile(info.id)).toEqual({ bytes, mimeType: 'text/plain; charset=utf-8', name: 'Grüße 1.txt' });
  });

  it('events() sees scheduled, running, progress, successful in order, live, and resumes after an id', async () => {
    const key = `events-${kind}`;
    const customId = `ev-${kind}`;
    // From id 0, so events from before the connection opened are replayed, not raced.
    const stream = client.events({ customId, lastEventId: 0 });
    const collecting = take(stream, 4, (event) => {
      // Seeing `running` proves the stream is up; what follows the gate arrives live.
      if (event.kind === 'running') gateOf(key).open.resolve();
    });
    const task = await client.schedule({ type: echoType, input: { mode: 'block', text: key }, customId });
    const seen = await collecting;
    expect(seen.map((e) => e.kind)).toEqual(['scheduled', 'running', 'progress', 'successful']);
    const events = seen.flatMap((e) => (e.kind === 'reset' || e.kind === 'delta' ? [] : [e]));
    expect(events.every((e) => e.taskId === task.id)).toBe(true);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    expect(events[2]!.task.progress).toBe(0.5);
    expect(events[3]!.task.output).toEqual({ output: key.toUpperCase() });

    const resumed = await take(client.events({ customId, lastEventId: events[1]!.id }), 2);
    expect(resumed.map((e) => e.kind)).toEqual(['progress', 'successful']);
  });

  it('verifyWebhook accepts the coordinator\'s signed call and refuses a tampered one', async () => {
    const call = receiver.nextCall();
    const output = await client.run(echoType, { mode: 'ok', text: 'hook' }, { webhookUri: receiver.url });
    expect(output).toEqual({ output: 'HOOK' });
    await call;
    const { headers, rawBody } = receiver.calls.at(-1)!;
    const { secret } = await client.webhookSecret();
    const payload = await verifyWebhook(headers, rawBody, secret);
    expect(payload).toMatchObject({ event: 'task.successful', task: { status: 'successful', output: { output: 'HOOK' } } });
    const tampered = Buffer.from(rawBody.toString('utf8').replace('HOOK', 'HACK'));
    await expect(verifyWebhook(headers, tampered, secret)).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook(headers, rawBody, 'not the secret')).rejects.toBeInstanceOf(WebhookVerificationError);
  });
});
