import { createMockContext, ProcessingError } from '@taskproc/provider-sdk';
import { describe, expect, it } from 'vitest';
import { loadExampleConfig, reverseProvider, summaryProvider } from '../src/index.ts';

describe('example providers', () => {
  it('summarizes to the first sentence', async () => {
    const ctx = createMockContext();
    await expect(summaryProvider.process({ input: 'First one. Second one.' }, ctx)).resolves.toEqual({ output: 'First one.' });
    await expect(summaryProvider.process({ input: 'No full stop' }, ctx)).resolves.toEqual({ output: 'No full stop' });
    await expect(summaryProvider.process({ input: '  ' }, ctx)).rejects.toBeInstanceOf(ProcessingError);
  });

  it('reverses in chunks, reporting progress, and stops when aborted', async () => {
    const ctx = createMockContext({ streaming: true });
    await expect(reverseProvider.process({ text: 'héllo wörld', chunkSize: 4 }, ctx)).resolves.toEqual({ reversed: 'dlröw olléh' });
    expect(ctx.progress).toEqual([4 / 11, 8 / 11, 1]);
    // Each chunk streams as it is done, when the app asked for streaming.
    expect(ctx.streamed).toEqual([{ reversed: 'dlrö' }, { reversed: 'w ol' }, { reversed: 'léh' }]);
    const cancelled = createMockContext();
    cancelled.abort();
    await expect(reverseProvider.process({ text: 'abc' }, cancelled)).rejects.toMatchObject({ name: 'AbortError', kind: 'cancelled' });
  });

  it('requires a token and names the variable', () => {
    expect(() => loadExampleConfig({})).toThrow(/TASKPROC_TOKEN/);
    expect(loadExampleConfig({ TASKPROC_TOKEN: 't' })).toMatchObject({ TASKPROC_URL: 'http://127.0.0.1:8700', CONCURRENCY: 4 });
  });
});
