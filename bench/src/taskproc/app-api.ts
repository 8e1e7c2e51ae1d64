import { TaskProcessingClient } from '@taskproc/client';
import type { NoopPayload } from '../messages.ts';

/** The app's side, as the bench uses it: @taskproc/client on its defaults. */
export interface AppApi {
  /** Schedules a no-op task; resolves with its id once the coordinator answered. */
  schedule(type: string, payload: NoopPayload): Promise<number>;
  /** `client.run()`: schedules and waits (long-poll) for the output. */
  run(type: string, payload: NoopPayload): Promise<Record<string, unknown>>;
}

export function createAppApi(url: string, token: string): AppApi {
  const client = new TaskProcessingClient({ url, token });
  return {
    schedule: async (type, payload) => (await client.schedule({ type, input: { ...payload } })).id,
    run: (type, payload) => client.run(type, { ...payload }),
  };
}

export interface ScheduleManyOptions {
  /** Requests open at once (an app's worker pool, say). Default 32. */
  inFlight?: number;
  /** Date.now() after which no new request is started. */
  until?: number;
}

/** Schedules up to `count` tasks; resolves with how many were accepted. */
export async function scheduleMany(api: AppApi, type: string, count: number, options: ScheduleManyOptions = {}): Promise<number> {
  let next = 0;
  let accepted = 0;
  const until = options.until ?? Infinity;
  const lane = async () => {
    while (next < count && Date.now() < until) {
      await api.schedule(type, { seq: next++ });
      accepted++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.inFlight ?? 32, count) }, lane));
  return accepted;
}
