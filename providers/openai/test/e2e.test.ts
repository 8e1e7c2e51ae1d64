import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, spawnTsProcess, tokenClient, useCoordinator, type SpawnedProcess } from '@taskproc/test';
import { TaskCancelledError, TaskProcessingClient, type OutputStreamPart } from '@taskproc/client';
import { prompts } from '@taskproc/provider-sdk/text';
import { startFakeOpenAi, type StreamedAnswer } from './fake-openai-server.ts';
import { toolCallAnswer, type ChatBody } from './support.ts';

// The whole path with real processes: the coordinator (real server process, real database), this
// provider started as `npm run provider:openai` would start it, and a model. The model is a
// loopback HTTP fake rather than msw because msw intercepts only inside the test process, and
// the point here is the provider's own process edge (env parsing, registration, long-poll loop,
// result upload, graceful exit).

describeEachDatabase('openai provider process', (kind) => {
  const fx = useCoordinator(kind);
  let fakeOpenAi: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let provider: SpawnedProcess;
  let appToken: string;
  /** What the model answers instead of the default, while set. */
  let nextAnswer: ((body: ChatBody) => string | StreamedAnswer) | undefined;

  beforeAll(async () => {
    fakeOpenAi = await startFakeOpenAi((body) =>
      nextAnswer ? nextAnswer(body) : body.tools
        ? toolCallAnswer(null, [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Berlin"}' }])
        : `Kurzfassung von ${body.messages.at(-1)!.content.split(' ')[0]}.`,
    );
    const providerToken = (await tokenClient(fx.admin, 'provider', 'openai')).token!;
    appToken = (await tokenClient(fx.admin, 'app', 'mail')).token!;
    provider = spawnTsProcess('providers/openai/src/main.ts', {
      TASKPROC_URL: fx.coordinator.url,
      TASKPROC_TOKEN: providerToken,
      OPENAI_BASE_URL: fakeOpenAi.baseUrl,
      OPENAI_MODEL: 'fake-llm',
      OPENAI_DISABLED_TYPES: 'audio2text,text2image,text2imagesingle,text2speech',
      LOG_LEVEL: 'info',
    });
    await provider.waitForLine(/openai provider ready/);
  });

  // Registered after useCoordinator's, so it runs before the coordinator stops.
  afterAll(async () => {
    const exit = await provider?.stop('SIGTERM');
    await fakeOpenAi?.close();
    // SIGTERM is a graceful stop: the provider exits on its own with code 0, not by SIGKILL.
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('registers the enabled types, with the translate languages', async () => {
    const res = await fx.admin.get('/v1/providers');
    expect(res.status).toBe(200);
    const ours = res.body.providers.filter((p: any) => p.id.startsWith('openai:'));
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
        'core:contextwrite',
        'core:generateemoji',
        'core:text2text:chatwithtools',
        'core:analyze-images',
      ].sort(),
    );
    const translate = ours.find((p: any) => p.id === 'openai:translate');
    expect(translate.inputShapeEnumValues.origin_language[0]).toEqual({ name: 'Detect language', value: 'detect_language' });
  });

  it('an app runs a summary with client.run() and gets the model answer as the output', async () => {
    const text = 'Quartalsbericht: Umsatz und Gewinn sind gestiegen.';
    const modelRequest = fakeOpenAi.nextRequest();
    const client = new TaskProcessingClient({ url: fx.coordinator.url, token: appToken });
    const run = client.run('core:text2text:summary', { input: text }, { customId: 'mail-1', timeoutMs: 30_000 });

    expect(await modelRequest).toEqual({
      model: 'fake-llm',
      messages: [
        { role: 'system', content: prompts.summary },
        { role: 'user', content: text },
      ],
    });
    expect(await run).toEqual({ output: 'Kurzfassung von Quartalsbericht:.' });
    const [task] = (await client.list({ customId: 'mail-1' })).tasks;
    expect(task).toMatchObject({ status: 'successful', providerId: 'openai:summary', appId: 'mail' });
  });

  it('an app runs chat with tools: defaults filled by the coordinator, tool calls back as Nextcloud JSON', async () => {
    const tools = JSON.stringify([{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }]);
    const modelRequest = fakeOpenAi.nextRequest();
    const client = new TaskProcessingClient({ url: fx.coordinator.url, token: appToken });
    // system_prompt and tool_message are left out: the provider declares '' as their defaults.
    const run = client.run(
      'core:text2text:chatwithtools',
      { input: 'Wetter in Berlin?', history: [], tools },
      { timeoutMs: 30_000 },
    );
    expect(await modelRequest).toEqual({
      model: 'fake-llm',
      messages: [{ role: 'user', content: 'Wetter in Berlin?' }],
      tools: JSON.parse(tools),
    });
    expect(await run).toEqual({
      output: '',
      tool_calls: JSON.stringify([{ name: 'get_weather', id: 'call_1', args: { city: 'Berlin' } }]),
    });
  });

  it('bad tools JSON fails the task with a message the user can act on, without asking the model', async () => {
    const client = new TaskProcessingClient({ url: fx.coordinator.url, token: appToken });
    const asked = fakeOpenAi.bodies.length;
    await expect(
      client.run('core:text2text:chatwithtools', { input: 'Hallo', history: [], tools: '[{"type":' }, { timeoutMs: 30_000 }),
    ).rejects.toMatchObject({
      name: 'TaskFailedError',
      userFacingErrorMessage: expect.stringContaining('The tool definitions ("tools") must be a JSON list'),
    });
    expect(fakeOpenAi.bodies.length).toBe(asked);
  });

  it('streams a chat answer as the model writes it when the app asks for streaming', async () => {
    nextAnswer = () => 'Es war einmal ein Drache.';
    const modelRequest = fakeOpenAi.nextRequest();
    const client = new TaskProcessingClient({ url: fx.coordinator.url, token: appToken });
    const parts: OutputStreamPart[] = [];
    try {
      for await (const part of client.stream('core:text2text:chat', { system_prompt: '', input: 'Erzähl', history: [] })) parts.push(part);
    } finally {
      nextAnswer = undefined;
    }
    expect((await modelRequest).stream).toBe(true);
    const deltas = parts.filter((p) => p.kind === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((p) => p.text).join('')).toBe('Es war einmal ein Drache.');
    expect(parts.at(-1)).toMatchObject({ kind: 'done', output: { output: 'Es war einmal ein Drache.' } });
  });

  it('stops the model request at once when the app cancels mid-stream', async () => {
    nextAnswer = () => ({ chunks: ['Es ', 'war '], hang: true });
    const client = new TaskProcessingClient({ url: fx.coordinator.url, token: appToken });
    const parts = client.stream('core:text2text', { input: 'Erzähl lange' });
    try {
      const first = await parts.next();
      expect(first.value).toMatchObject({ kind: 'delta' });
      const hungUp = fakeOpenAi.nextHangUp();
      const task = (await client.list({ status: 'running' })).tasks[0]!;
      await client.cancel(task.id);
      // The lease is 60 s, so a heartbeat would come after 20 s: a hang-up within 5 s is the push.
      const outcome = await Promise.race([hungUp.then(() => 'hung up'), new Promise((r) => setTimeout(() => r('still streaming after 5 s'), 5_000))]);
      expect(outcome).toBe('hung up');
      await expect(parts.next()).rejects.toBeInstanceOf(TaskCancelledError);
    } finally {
      nextAnswer = undefined;
    }
  });
});
