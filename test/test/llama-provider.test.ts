import { afterAll, beforeAll, expect, it } from 'vitest';
import { TaskCancelledError, TaskProcessingClient, type OutputStreamPart } from '@taskproc/client';
import { describeEachDatabase, event, tokenClient, useCoordinator, type ProviderLogLine, type TestProvider } from '../src/index.ts';
import { startLlamaProvider } from '../src/llama/llama-process.ts';
import { writeLlamaModelFiles, type LlamaModelFiles } from '../src/llama/model-files.ts';

// providers/llama end to end: the real coordinator on each database, the provider process as
// `npm run provider:llama` starts it, and a real (tiny, random, generated) GGUF model loaded by
// node-llama-cpp. The model writes gibberish and never ends a turn by itself, so every
// generation runs to its token limit: 24 tokens, except the free prompt, whose limit is the
// whole context (thousands of tokens, seconds), the long generation the cancel and parallel
// tests interrupt. Nothing waits on a timer: the tests wait on the provider's log lines.

/** Tokens of each sequence's context, and so the longest free-prompt answer. */
const contextSize = 16384;
const shortMaxTokens = 24;

describeEachDatabase('llama provider process', (kind) => {
  const fx = useCoordinator(kind);
  let models: LlamaModelFiles;
  let provider: TestProvider;
  let client: TaskProcessingClient;
  let providerToken: string;

  beforeAll(async () => {
    models = await writeLlamaModelFiles();
    providerToken = (await tokenClient(fx.admin, 'provider', 'llama')).token!;
    client = new TaskProcessingClient({ url: fx.coordinator.url, token: (await tokenClient(fx.admin, 'app', 'mail')).token! });
    provider = startLlamaProvider({
      TASKPROC_URL: fx.coordinator.url,
      TASKPROC_TOKEN: providerToken,
      LLAMA_MODEL_PATH: models.tiny,
      LLAMA_CONTEXT_SIZE: String(contextSize),
      LLAMA_CONCURRENCY: '2',
      LLAMA_THREADS: '1',
      LLAMA_MAX_TOKENS: String(shortMaxTokens),
      LLAMA_MAX_TOKENS_TEXT2TEXT: '1000000',
      LLAMA_GRACE_MS: '200',
    });
    await provider.process.waitForLine(/llama provider ready/);
  });

  // Registered after useCoordinator's, so it runs before the coordinator stops.
  afterAll(async () => {
    await provider?.process.stop('SIGKILL');
    await models?.remove();
  });

  /** The long free-prompt generation, started (its 'generation started' line logged). */
  async function startLongGeneration(streaming: boolean): Promise<{ id: number; started: ProviderLogLine }> {
    const { id } = await client.schedule({ type: 'core:text2text', input: { input: 'Tell a long story.' }, preferStreaming: streaming });
    return { id, started: await provider.waitFor(event('generation started', id)) };
  }

  it('loads the model once and registers every text type', async () => {
    const [loaded] = await provider.waitForCount(event('model loaded'), 1);
    expect(loaded).toMatchObject({ architecture: 'llama', contextSize, sequences: 2, gpu: false, gpuLayers: 0, chatWrapper: 'ChatML' });
    console.log(`[${kind}] tiny model loaded in ${loaded!.loadMs} ms`);
    const res = await fx.admin.get('/v1/providers');
    const ours = res.body.providers.filter((p: any) => p.id.startsWith('llama:'));
    expect(ours.map((p: any) => p.taskType).sort()).toEqual(
      [
        'core:text2text',
        'core:text2text:chat',
        'core:text2text:formalization',
        'core:text2text:headline',
        'core:text2text:reformulation',
        'core:text2text:simplification',
        'core:text2text:summary',
        'core:text2text:topics',
        'core:text2text:translate',
        'core:text2text:changetone',
        'core:text2text:proofread',
        'core:text2text:improve',
        'core:text2text:reformatparagraphs',
        'core:contextwrite',
        'core:generateemoji',
      ].sort(),
    );
    expect(ours.find((p: any) => p.id === 'llama:translate').inputShapeEnumValues.origin_language[0]).toEqual({ name: 'Detect language', value: 'detect_language' });
  });

  it('runs a summary through the coordinator and the provider process', async () => {
    const output = await client.run('core:text2text:summary', { input: 'The water is hot. We can see it from the side.' }, { customId: 'summary-1', timeoutMs: 30_000 });
    const [task] = (await client.list({ customId: 'summary-1' })).tasks;
    expect(task).toMatchObject({ status: 'successful', providerId: 'llama:summary' });
    expect(typeof output.output).toBe('string');
    expect(output.output.length).toBeGreaterThan(0);
    const finished = await provider.waitFor(event('generation finished', task!.id));
    // The model never ends a turn by itself: the answer is exactly the kind's token limit.
    expect(finished).toMatchObject({ kind: 'summary', tokens: shortMaxTokens, stopReason: 'maxTokens' });
    console.log(`[${kind}] summary: first token ${finished.firstTokenMs} ms, ${finished.tokensPerSecond} tokens/s, ${finished.durationMs} ms`);
  });

  // How the template renders the turns: providers/llama/test/chat-template.test.ts.
  it('streams a chat answer, with the system prompt and the history as turns', async () => {
    const history = [JSON.stringify({ role: 'human', content: 'Hello there.' }), JSON.stringify({ role: 'assistant', content: 'Hello! How can I help?' })];
    const parts: OutputStreamPart[] = [];
    const scheduledAt = performance.now();
    let firstDeltaMs: number | undefined;
    for await (const part of client.stream('core:text2text:chat', { system_prompt: 'You are terse.', input: 'Say more.', history })) {
      if (part.kind === 'delta') firstDeltaMs ??= performance.now() - scheduledAt;
      parts.push(part);
    }
    const done = parts.at(-1);
    expect(done).toMatchObject({ kind: 'done', task: { providerId: 'llama:chat' } });
    const { task, output } = done as Extract<OutputStreamPart, { kind: 'done' }>;
    const deltas = parts.filter((p) => p.kind === 'delta');
    // Token by token, batched by the SDK (at most one request per 25 ms): at least one delta,
    // and together they are the answer.
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((p) => p.text).join('').trim()).toBe(output.output);
    // System prompt + two history turns + the new message.
    const started = await provider.waitFor(event('generation started', task.id));
    expect(started).toMatchObject({ kind: 'chat', messages: 4 });
    const finished = await provider.waitFor(event('generation finished', task.id));
    console.log(
      `[${kind}] chat: ${Math.round(firstDeltaMs!)} ms from the app's schedule to its first delta ` +
        `(${finished.firstTokenMs} ms of it the model's first token, ${started.promptTokens} prompt tokens), ${deltas.length} delta events`,
    );
  });

  it('rewrites a text too long for one request part by part, each part within the context', async () => {
    const text = Array.from({ length: 3 }, (_, p) => `Paragraph ${p} has some words. It is about the water and the day. It goes on a little.`).join('\n\n');
    const { id } = await client.schedule({ type: 'core:text2text:formalization', input: { input: text } });
    const task = await client.wait(id, { timeoutMs: 30_000 });
    expect(task).toMatchObject({ status: 'successful', providerId: 'llama:formalization' });
    // A rewrite's part may not outgrow the answer's limit (24 tokens): one generation per part,
    // the answers joined as paragraphs.
    const generations = provider.lines().filter(event('generation started', id));
    expect(generations.length).toBeGreaterThan(1);
    expect(String(task.output!.output).split('\n\n')).toHaveLength(generations.length);
  });

  it('serves the other text types; a task the model cannot do fails with a message for the user', async () => {
    const text = 'The water is hot. We can see it from the side.';
    const runs = await Promise.all(
      (
        [
          ['core:text2text:translate', 'translate', { input: text, origin_language: 'detect_language', target_language: 'de' }],
          ['core:text2text:headline', 'headline', { input: text }],
          ['core:text2text:topics', 'topics', { input: text }],
        ] as const
      ).map(async ([type, kind, input]) => {
        const { id } = await client.schedule({ type, input });
        return { kind, task: await client.wait(id, { timeoutMs: 30_000 }) };
      }),
    );
    for (const { kind: taskKind, task } of runs) {
      expect(task).toMatchObject({ status: 'successful', providerId: `llama:${taskKind}` });
      expect(String(task.output!.output).length).toBeGreaterThan(0);
      // The task reached the model as its own kind, with that kind's instruction and limit.
      expect(provider.lines().filter(event('generation started', task.id)).map((l) => l.kind)).toEqual([taskKind]);
    }
    // The tiny model has no emoji in its vocabulary it may write.
    await expect(client.run('core:generateemoji', { input: text }, { timeoutMs: 30_000 })).rejects.toMatchObject({
      name: 'TaskFailedError',
      userFacingErrorMessage: 'The model did not answer with an emoji',
    });
  });

  it('cancel stops a running generation within milliseconds', async () => {
    const { id, started } = await startLongGeneration(true);
    const parts = client.streamTask(id);
    expect((await parts.next()).value).toMatchObject({ kind: 'delta' });
    const cancelledAt = performance.now();
    await client.cancel(id);
    const aborted = await provider.waitFor(event('generation aborted', id));
    const cancelToStopMs = performance.now() - cancelledAt;
    // Deltas sent before the cancel may still come; then the stream ends as cancelled.
    await expect(drain(parts)).rejects.toBeInstanceOf(TaskCancelledError);

    // What the whole generation would have taken at the rate it ran.
    const ratePerMs = (aborted.tokens as number) / (aborted.durationMs as number);
    const fullGenerationMs = (started.maxTokens as number) / ratePerMs;
    console.log(
      `[${kind}] cancel: ${Math.round(cancelToStopMs)} ms from the app's cancel to the stop (${aborted.stopMs} ms in the provider), ` +
        `after ${aborted.tokens} of ${started.maxTokens} tokens; the whole generation: ~${Math.round(fullGenerationMs)} ms`,
    );
    expect(aborted).toMatchObject({ why: 'cancelled' });
    // In the provider, node-llama-cpp stops at the next token.
    expect(aborted.stopMs as number).toBeLessThan(100);
    // From the app's cancel, through the coordinator's control stream, well before the end (a
    // loose bound for a noisy machine: the figure above is what it takes).
    expect(cancelToStopMs).toBeLessThan(Math.min(1_000, fullGenerationMs / 5));
    expect(aborted.tokens as number).toBeLessThan((started.maxTokens as number) / 5);
    expect((await client.get(id)).status).toBe('cancelled');
  });

  it('runs two tasks at once in parallel sequences of the one loaded model', async () => {
    const long = await startLongGeneration(true);
    const deltas = countDeltas(client.streamTask(long.id));
    // The long generation writes tokens before the summary is scheduled ...
    await deltas.atLeast(1);
    const { id: summaryId } = await client.schedule({ type: 'core:text2text:summary', input: { input: 'Two at once.' } });
    const summaryStarted = await provider.waitFor(event('generation started', summaryId));
    await provider.waitFor(event('generation finished', summaryId));
    // ... is still running when the summary has finished on the other sequence ...
    expect(provider.lines().filter((l) => l.taskId === long.id && (l.event === 'generation finished' || l.event === 'generation aborted'))).toEqual([]);
    expect(summaryStarted.sequence).not.toBe(long.started.sequence);
    // ... and goes on writing. The stream is read as it comes, and the SDK sends at most one
    // delta request per 25 ms, so at most two can have been under way when the summary
    // finished: a third was written after it.
    await deltas.atLeast(deltas.received() + 3);
    // One process, one model: both lines come from the provider that loaded it once.
    expect(provider.lines().filter(event('model loaded'))).toHaveLength(1);
    await client.cancel(long.id);
    await provider.waitFor(event('generation aborted', long.id));
    await deltas.ended;
  });

  it.each([
    ['a missing model file', () => `${models.tiny}.missing`, /LLAMA_MODEL_PATH: no such file: .*tiny\.gguf\.missing/],
    ['a file that is not GGUF', () => models.notGguf, /LLAMA_MODEL_PATH: .*notes\.gguf is not a GGUF model file \(it starts with "Thes", not "GGUF"\)/],
    ['a model too large for memory', () => models.oversized, /LLAMA_MODEL_PATH: the model is too large for this machine's memory: it needs about [\d.]+ GiB of RAM/],
  ])('%s fails at start with exit code 1 and a message naming it, before registering', async (_what, path, message) => {
    const bad = startLlamaProvider({
      TASKPROC_URL: fx.coordinator.url,
      TASKPROC_TOKEN: providerToken,
      LLAMA_MODEL_PATH: path(),
      LLAMA_PROVIDER_PREFIX: 'llama-bad',
    });
    expect(await bad.process.exited).toEqual({ code: 1, signal: null });
    expect(bad.process.output()).toMatch(message);
    const res = await fx.admin.get('/v1/providers');
    expect(res.body.providers.filter((p: any) => p.id.startsWith('llama-bad:'))).toEqual([]);
  });

  // Last: it stops the provider.
  it('a graceful stop (SIGTERM) aborts the running generation, hands the task back and exits 0', async () => {
    const { id } = await startLongGeneration(false);
    provider.process.child.kill('SIGTERM');
    // LLAMA_GRACE_MS is 200: the generation would take seconds, so the grace runs out first.
    expect(await provider.waitFor(event('generation aborted', id))).toMatchObject({ why: 'shutdown' });
    await provider.waitFor((l) => l.msg === 'task released' && l.taskId === id);
    expect(await provider.process.exited).toEqual({ code: 0, signal: null });
    // Released, not failed: back in the queue with its attempt given back.
    expect(await client.get(id)).toMatchObject({ status: 'scheduled' });
    expect(provider.reportedTaskIds()).not.toContain(id);
  });
});

/** Reads a task's stream as it comes, counting its deltas; `atLeast(n)` resolves once n have arrived. */
function countDeltas(parts: AsyncGenerator<OutputStreamPart>) {
  let received = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const ended = (async () => {
    for await (const part of parts) {
      if (part.kind !== 'delta') continue;
      received++;
      for (const w of waiters.filter((w) => received >= w.n)) w.resolve();
    }
  })().catch(() => {}); // the stream ends as cancelled
  return {
    ended,
    received: () => received,
    atLeast: (n: number) => (received >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
  };
}

/** Reads a stream to its end. */
async function drain(parts: AsyncGenerator<OutputStreamPart>): Promise<void> {
  for (let next = await parts.next(); !next.done; next = await parts.next());
}
