import { describe, expect, it } from 'vitest';
import { ConnectionError, type StreamItem, type StreamResponse } from '@taskproc/spec';
import { createStreamBatcher } from '../src/internal/stream-batcher.ts';
import type { WorkApi } from '../src/internal/work-api.ts';
import { createMemoryLogger } from './memory-logger.ts';

/** A WorkApi whose stream requests wait until the test answers them. */
function fakeApi() {
  const requests: Array<{ items: StreamItem[]; answer: (res: StreamResponse | Error) => void }> = [];
  let arrived: (() => void) | undefined;
  const api = {
    stream: (items: StreamItem[]) =>
      new Promise<StreamResponse>((resolve, reject) => {
        requests.push({ items: structuredClone(items), answer: (res) => (res instanceof Error ? reject(res) : resolve(res)) });
        arrived?.();
      }),
  } as unknown as WorkApi;
  const nextRequest = async () => {
    const seen = requests.length;
    while (requests.length === seen) await new Promise<void>((resolve) => (arrived = resolve));
    return requests.at(-1)!;
  };
  const ok = (items: StreamItem[]): StreamResponse => ({ results: items.map((i) => ({ taskId: i.taskId, status: 200 })) });
  return { api, requests, nextRequest, ok };
}

describe('stream batcher', () => {
  it('sends the first piece at once and merges what comes while a request is in flight', async () => {
    const { api, nextRequest, ok } = fakeApi();
    const batcher = createStreamBatcher({ api, logger: createMemoryLogger(), intervalMs: 0 });
    const a = batcher.open(1, 'lease-a', () => {});
    const b = batcher.open(2, 'lease-b', () => {});
    a.push({ output: 'Hel' });
    const first = await nextRequest();
    expect(first.items).toEqual([{ taskId: 1, leaseId: 'lease-a', seq: 1, delta: { output: 'Hel' } }]);
    a.push({ output: 'lo' });
    a.push({ output: ', ' });
    b.push({ output: 'Hi' });
    const second = nextRequest();
    first.answer(ok(first.items));
    const merged = await second;
    expect(merged.items).toEqual([
      { taskId: 1, leaseId: 'lease-a', seq: 2, delta: { output: 'lo, ' } },
      { taskId: 2, leaseId: 'lease-b', seq: 1, delta: { output: 'Hi' } },
    ]);
    const drained = a.drain();
    merged.answer(ok(merged.items));
    await drained;
  });

  it('sends a failed request again with the same numbers, new text after it', async () => {
    const { api, nextRequest, ok } = fakeApi();
    const batcher = createStreamBatcher({ api, logger: createMemoryLogger(), intervalMs: 0 });
    const a = batcher.open(1, 'lease-a', () => {});
    a.push({ output: 'one' });
    const first = await nextRequest();
    a.push({ output: ' two' });
    const retry = nextRequest();
    first.answer(new ConnectionError('connection reset'));
    const again = await retry;
    expect(again.items).toEqual([{ taskId: 1, leaseId: 'lease-a', seq: 1, delta: { output: 'one' } }]);
    const next = nextRequest();
    again.answer(ok(again.items));
    const later = await next;
    expect(later.items).toEqual([{ taskId: 1, leaseId: 'lease-a', seq: 2, delta: { output: ' two' } }]);
    later.answer(ok(later.items));
    await a.drain();
  });

  it('ends the task\'s work when the coordinator says it was cancelled, and drops what is left', async () => {
    const { api, nextRequest } = fakeApi();
    const batcher = createStreamBatcher({ api, logger: createMemoryLogger(), intervalMs: 0 });
    const ended: string[] = [];
    const a = batcher.open(7, 'lease-a', (kind) => ended.push(kind));
    a.push({ output: 'x' });
    const request = await nextRequest();
    a.push({ output: 'y' });
    const drained = a.drain();
    request.answer({
      results: [{ taskId: 7, status: 409, problem: { type: 'urn:taskproc:problem:task_cancelled', title: 't', status: 409, detail: 'd', code: 'task_cancelled' } }],
    });
    await drained;
    expect(ended).toEqual(['cancelled']);
  });

  it('makes text storable and never cuts a surrogate pair', async () => {
    const { api, nextRequest, ok } = fakeApi();
    const batcher = createStreamBatcher({ api, logger: createMemoryLogger(), intervalMs: 0 });
    const a = batcher.open(1, 'lease-a', () => {});
    a.push({ output: 'a\u0000b\uD800c' });
    const request = await nextRequest();
    expect(request.items[0]!.delta).toEqual({ output: 'ab\uFFFDc' });
    request.answer(ok(request.items));
    await a.drain();
  });
});
