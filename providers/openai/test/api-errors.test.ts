import { http, HttpResponse } from 'msw';
import { APIUserAbortError } from 'openai';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleepAbortably } from '../src/index.ts';
import { runSummary } from '../src/tasks/summarize.ts';
import { runTranscription } from '../src/tasks/transcribe.ts';
import { apiBase, apiError, createFakeContext, createTestDeps, handleChat, strictRequests } from './support.ts';

const server = setupServer();
beforeAll(() => server.listen(strictRequests));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const input = { input: 'Ein kurzer Text.' };

/** Answers with `failures` in turn, then with a summary. */
function failThenAnswer(failures: Array<() => Response>) {
  return handleChat(server, (_body, i) => failures[i]?.() ?? 'Zusammenfassung.');
}

describe('credentials', () => {
  for (const status of [401, 403]) {
    it(`${status} fails at once with "The AI service rejected the credentials"`, async () => {
      const bodies = handleChat(server, () => apiError(status, { message: 'Incorrect API key provided', code: 'invalid_api_key' }));
      const { deps, sleeps } = createTestDeps();
      const { ctx } = createFakeContext();
      const failure = await runSummary(input, ctx, deps).catch((e: unknown) => e);
      expect(failure).toMatchObject({
        name: 'ProcessingError',
        userFacingMessage: 'The AI service rejected the credentials',
        message: expect.stringContaining(`HTTP ${status}`),
      });
      expect(bodies).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });
  }
});

describe('rate limits and server errors are retried, honouring Retry-After', () => {
  it('429 with Retry-After: 2 waits 2000 ms, then succeeds', async () => {
    const bodies = failThenAnswer([() => apiError(429, { message: 'Rate limit reached', code: 'rate_limit_exceeded' }, { 'retry-after': '2' })]);
    const { deps, sleeps } = createTestDeps();
    const { ctx, logs } = createFakeContext();
    expect(await runSummary(input, ctx, deps)).toEqual({ output: 'Zusammenfassung.' });
    expect(sleeps).toEqual([2000]);
    expect(bodies).toHaveLength(2);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('retry-after-ms wins over retry-after; an HTTP date counts from now', async () => {
    failThenAnswer([
      () => apiError(429, { message: 'slow down' }, { 'retry-after-ms': '1500', 'retry-after': '9' }),
      // The test clock stands at 2030-01-01T00:00:00Z.
      () => apiError(503, { message: 'overloaded' }, { 'retry-after': 'Tue, 01 Jan 2030 00:00:05 GMT' }),
    ]);
    const { deps, sleeps } = createTestDeps();
    const { ctx } = createFakeContext();
    await runSummary(input, ctx, deps);
    expect(sleeps).toEqual([1500, 5000]);
  });

  it('a Retry-After longer than OPENAI_MAX_RETRY_DELAY_MS fails at once instead of idling', async () => {
    const bodies = failThenAnswer([() => apiError(429, { message: 'Rate limit reached' }, { 'retry-after': '120' })]);
    const { deps, sleeps } = createTestDeps({ OPENAI_MAX_RETRY_DELAY_MS: '60000' });
    const { ctx } = createFakeContext();
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      userFacingMessage: 'The AI service is busy; please try again later',
      message: expect.stringContaining('retry after 120000 ms'),
    });
    expect(sleeps).toEqual([]);
    expect(bodies).toHaveLength(1);
  });

  it('429 insufficient_quota is not retried: waiting will not add credit', async () => {
    const bodies = handleChat(server, () => apiError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }));
    const { deps, sleeps } = createTestDeps();
    const { ctx } = createFakeContext();
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({ userFacingMessage: 'The AI service quota is exhausted' });
    expect(bodies).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('5xx is retried OPENAI_MAX_RETRIES times with exponential backoff, then fails', async () => {
    const bodies = handleChat(server, () => apiError(503, { message: 'The server is overloaded', type: 'server_error' }));
    const { deps, sleeps } = createTestDeps({ OPENAI_MAX_RETRIES: '3' });
    const { ctx } = createFakeContext();
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      userFacingMessage: 'The AI service is unavailable right now; please try again later',
      message: expect.stringContaining('HTTP 503'),
    });
    expect(bodies).toHaveLength(4);
    // random() is 0 in tests: no jitter.
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('a connection failure is retried, then reported as unreachable', async () => {
    let attempts = 0;
    server.use(
      http.post(`${apiBase}/chat/completions`, () => {
        attempts++;
        return HttpResponse.error();
      }),
    );
    const { deps, sleeps } = createTestDeps({ OPENAI_MAX_RETRIES: '1' });
    const { ctx } = createFakeContext();
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({ userFacingMessage: 'The AI service could not be reached' });
    expect(attempts).toBe(2);
    expect(sleeps).toEqual([500]);
  });

  it('other client errors fail at once with a neutral message (404: model missing)', async () => {
    const bodies = handleChat(server, (_b, i) =>
      i === 0
        ? apiError(404, { message: 'The model `gpt-9` does not exist', code: 'model_not_found' })
        : apiError(400, { message: "Invalid value for 'messages'" }),
    );
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({ userFacingMessage: 'The AI model is not available' });
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({ userFacingMessage: 'The AI service could not process this request' });
    expect(bodies).toHaveLength(2);
  });
});

describe('timeouts and cancellation', () => {
  /** A model endpoint that never answers: it waits until the client gives up on the request. */
  function hangUntilAborted(path: string) {
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const state = { requests: 0, abortedAtServer: 0, arrived };
    server.use(
      http.post(`${apiBase}${path}`, async ({ request }) => {
        state.requests++;
        arrive();
        await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
        state.abortedAtServer++;
        return HttpResponse.error();
      }),
    );
    return state;
  }

  it('a request over OPENAI_TIMEOUT_MS fails with a clear message and is not retried', async () => {
    const state = hangUntilAborted('/chat/completions');
    const { deps, sleeps } = createTestDeps({ OPENAI_TIMEOUT_MS: '1000' }, { timeoutMs: 100 });
    const { ctx } = createFakeContext();
    await expect(runSummary(input, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      message: 'The AI service did not answer within 1000 ms',
      userFacingMessage: 'The AI service took too long to answer',
    });
    expect(state.requests).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('cancelling the task aborts the in-flight HTTP request and rethrows the abort', async () => {
    const state = hangUntilAborted('/chat/completions');
    const { deps, sleeps } = createTestDeps();
    const { ctx, controller } = createFakeContext();
    const running = runSummary(input, ctx, deps);
    await state.arrived;
    controller.abort(new Error('task cancelled'));
    const failure = await running.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(APIUserAbortError);
    await expect.poll(() => state.abortedAtServer).toBe(1);
    expect(state.requests).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('cancelling an upload aborts it too (audio2text)', async () => {
    const state = hangUntilAborted('/audio/transcriptions');
    const { deps } = createTestDeps();
    const { ctx, controller } = createFakeContext({ 3: { bytes: new Uint8Array([1]), mimeType: 'audio/wav', name: 'a.wav' } });
    const running = runTranscription({ input: 3 }, ctx, deps);
    await state.arrived;
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(APIUserAbortError);
    await expect.poll(() => state.abortedAtServer).toBe(1);
  });

  it('the real sleep between retries ends at once when the task is cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleepAbortably(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
