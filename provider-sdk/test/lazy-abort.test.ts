import { describe, expect, it } from 'vitest';
import { LazyAbort } from '../src/internal/lazy-abort.ts';

describe('LazyAbort', () => {
  it('makes a signal that follows the abort, whether it is asked for before or after', () => {
    const early = new LazyAbort();
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.abort('why');
    expect(signal).toMatchObject({ aborted: true, reason: 'why' });

    const late = new LazyAbort();
    late.abort('gone');
    expect(late.signal).toMatchObject({ aborted: true, reason: 'gone' });
    expect(late.signal).toBe(late.signal);
  });

  it('calls each listener once with the first reason, at once when already aborted, and not once removed', () => {
    const abort = new LazyAbort();
    const heard: unknown[] = [];
    abort.onAbort((reason) => heard.push(['kept', reason]));
    const removed = (reason: unknown) => heard.push(['removed', reason]);
    abort.onAbort(removed);
    abort.offAbort(removed);
    abort.abort('first');
    abort.abort('second');
    abort.onAbort((reason) => heard.push(['late', reason]));
    expect(heard).toEqual([
      ['kept', 'first'],
      ['late', 'first'],
    ]);
    expect(abort).toMatchObject({ aborted: true, reason: 'first' });
  });
});
