import { describe, expect, it } from 'vitest';
import type { Signals, TaskChange } from '../signals/signals.ts';
import { deliverWebhooksJob, wakeJobsOnTaskChanges } from './jobs.ts';
import type { PeriodicRunner } from './periodic.ts';

// The webhook delivery job runs at once only for a change that wrote an outbox row: progress
// reports, heartbeats, partial output and claims change tasks far more often, and each poke
// would cost a query for nothing.

describe('wakeJobsOnTaskChanges', () => {
  it('pokes the webhook job for outbox writes only', () => {
    const listeners: Array<(change: TaskChange) => void> = [];
    const signals = { onTaskChanged: (listener: (change: TaskChange) => void) => (listeners.push(listener), () => {}) } as Pick<Signals, 'onTaskChanged'> as Signals;
    const pokes: string[] = [];
    const runner: PeriodicRunner = { poke: (name) => void pokes.push(name), stop: async () => {} };
    wakeJobsOnTaskChanges({ signals }, runner);

    const emit = (change: TaskChange) => listeners.forEach((listener) => listener(change));
    emit({ taskId: 1, appId: 'mail' }); // progress, claim, release
    emit({ taskId: 1, appId: 'mail', delta: true }); // partial output
    emit({ taskId: 1, appId: 'mail', outbox: false }); // ended without a webhook
    expect(pokes).toEqual([]);
    emit({ taskId: 1, appId: 'mail', outbox: true });
    expect(pokes).toEqual([deliverWebhooksJob]);
  });
});
