import type { LlamaContext } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { createSequencePool } from '../src/index.ts';

/** The pool only calls getSequence(); each call's object stands for one sequence. */
const fakeContext = () => {
  let n = 0;
  return { getSequence: () => ({ n: n++ }) } as unknown as LlamaContext;
};

describe('the sequence pool', () => {
  it('lends each sequence to one generation at a time and hands a released one to the next waiter', async () => {
    const pool = createSequencePool(fakeContext(), 2);
    const signal = new AbortController().signal;
    const a = await pool.acquire(signal);
    const b = await pool.acquire(signal);
    expect(new Set([a.index, b.index])).toEqual(new Set([0, 1]));
    const waiting = pool.acquire(signal);
    pool.release(b);
    expect(await waiting).toBe(b);
  });

  it('drops a waiter whose task was aborted; the next release goes to the one after it', async () => {
    const pool = createSequencePool(fakeContext(), 1);
    const held = await pool.acquire(new AbortController().signal);
    const aborted = new AbortController();
    const first = pool.acquire(aborted.signal);
    const second = pool.acquire(new AbortController().signal);
    aborted.abort(new Error('cancelled'));
    await expect(first).rejects.toThrow('cancelled');
    pool.release(held);
    expect(await second).toBe(held);
  });

  it('refuses an already aborted task without taking a sequence', async () => {
    const pool = createSequencePool(fakeContext(), 1);
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    expect(() => pool.acquire(aborted.signal)).toThrow('gone');
    expect((await pool.acquire(new AbortController().signal)).index).toBe(0);
  });
});
