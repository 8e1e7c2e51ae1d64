import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createProviderFixture,
  describeEachDatabase,
  followProvider,
  reported,
  spawnTsProcess,
  type ProviderFixture,
  type TestProvider,
} from '../src/index.ts';

// The example provider (providers/example) as an operator runs it: its own entry point, its
// environment, SIGTERM to stop.

describeEachDatabase('example provider', (kind) => {
  let fx: ProviderFixture;
  let example: TestProvider;

  beforeAll(async () => {
    fx = await createProviderFixture(kind);
    const token = await fx.admin.post('/v1/admin/tokens', { role: 'provider', appId: 'example', name: 'example provider' });
    expect(token.status).toBe(201);
    example = followProvider(
      spawnTsProcess('providers/example/src/main.ts', { TASKPROC_URL: fx.coordinator.url, TASKPROC_TOKEN: token.body.token }),
      'example',
    );
    await example.waitFor((line) => line.msg === 'providers registered');
  });
  afterAll(async () => {
    await example?.process.stop('SIGKILL');
    await fx?.close();
  });

  it('serves the built-in summary type and its own example:reverse type', async () => {
    const summary = await fx.schedule('core:text2text:summary', { input: 'Pull, not push. Providers long-poll.' });
    const reverse = await fx.schedule('example:reverse', { text: 'stressed' });
    await example.waitFor(reported(summary.id));
    await example.waitFor(reported(reverse.id));
    expect(await fx.task(summary.id)).toMatchObject({ status: 'successful', output: { output: 'Pull, not push.' }, providerId: 'example:summary' });
    // chunkSize came from the provider's optional input default.
    expect(await fx.task(reverse.id)).toMatchObject({
      status: 'successful',
      input: { text: 'stressed', chunkSize: 1000 },
      output: { reversed: 'desserts' },
    });
  });

  it('fails an empty summary with the provider\'s user-facing message', async () => {
    const { id } = await fx.schedule('core:text2text:summary', { input: '   ' });
    await example.waitFor(reported(id));
    expect(await fx.task(id)).toMatchObject({ status: 'failed', errorMessage: 'empty input', userFacingErrorMessage: 'There is no text to summarize.' });
  });

  it('stops on SIGTERM and exits 0', async () => {
    example.process.child.kill('SIGTERM');
    expect(await example.process.exited).toEqual({ code: 0, signal: null });
    expect(example.lines().some((line) => line.msg === 'runner stopped')).toBe(true);
  });
});
