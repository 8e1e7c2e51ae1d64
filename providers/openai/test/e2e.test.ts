import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  spawnTsProcess,
  startCoordinator,
  type Http,
  type RunningCoordinator,
  type SpawnedProcess,
  type TestDatabase,
} from '@taskproc/test';
import { TaskProcessingClient } from '@taskproc/client';
import { prompts } from '../src/prompts.ts';
import { startFakeOpenAi } from './fake-openai-server.ts';

// The whole path with real processes: the coordinator (real server process, real database), this
// provider started as `npm run provider:openai` would start it, and a model. The model is a
// loopback HTTP fake rather than msw because msw intercepts only inside the test process, and
// the point here is the provider's own process edge (env parsing, registration, long-poll loop,
// result upload, graceful exit).

describeEachDatabase('openai provider process', (kind) => {
  let db: TestDatabase;
  let coordinator: RunningCoordinator;
  let fakeOpenAi: Awaited<ReturnType<typeof startFakeOpenAi>>;
  let provider: SpawnedProcess;
  let admin: Http;
  let appToken: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    coordinator = await startCoordinator(db);
    admin = createHttp(coordinator.url, coordinator.adminToken);
    fakeOpenAi = await startFakeOpenAi((body) => `Kurzfassung von ${body.messages.at(-1)!.content.split(' ')[0]}.`);
    const providerToken = await createToken(admin, 'provider', 'openai');
    appToken = await createToken(admin, 'app', 'mail');
    provider = spawnTsProcess('providers/openai/src/main.ts', {
      TASKPROC_URL: coordinator.url,
      TASKPROC_TOKEN: providerToken,
      OPENAI_BASE_URL: fakeOpenAi.baseUrl,
      OPENAI_MODEL: 'fake-llm',
      OPENAI_DISABLED_TYPES: 'audio2text,text2image,text2speech',
      LOG_LEVEL: 'info',
    });
    await provider.waitForLine(/openai provider ready/);
  });

  afterAll(async () => {
    const exit = await provider?.stop('SIGTERM');
    await fakeOpenAi?.close();
    await coordinator?.stop();
    await db?.destroy();
    // SIGTERM is a graceful stop: the provider exits on its own with code 0, not by SIGKILL.
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('registers the enabled types, with the translate languages', async () => {
    const res = await admin.get('/v1/providers');
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
      ].sort(),
    );
    const translate = ours.find((p: any) => p.id === 'openai:translate');
    expect(translate.inputShapeEnumValues.origin_language[0]).toEqual({ name: 'Detect language', value: 'detect_language' });
  });

  it('an app runs a summary with client.run() and gets the model answer as the output', async () => {
    const text = 'Quartalsbericht: Umsatz und Gewinn sind gestiegen.';
    const modelRequest = fakeOpenAi.nextRequest();
    const client = new TaskProcessingClient({ url: coordinator.url, token: appToken });
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
});

async function createToken(admin: Http, role: 'app' | 'provider', appId: string): Promise<string> {
  const res = await admin.post('/v1/admin/tokens', { role, appId, name: `${appId} ${role}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}
