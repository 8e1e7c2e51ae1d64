import { HttpResponse } from 'msw';
import type { Task } from '@taskproc/spec';
import { TaskProcessingClient, type TaskProcessingClientOptions } from '../src/index.ts';

// Shared pieces of the client's unit tests: msw plays the coordinator at `baseUrl`.

export const baseUrl = 'http://coordinator.test/prefix';

/** A problem+json answer as the coordinator sends it. */
export function problem(
  status: number,
  code: string,
  init: { headers?: Record<string, string>; slot?: string; field?: string } = {},
): Response {
  return HttpResponse.json(
    {
      type: `urn:taskproc:problem:${code}`,
      title: code,
      status,
      detail: `fake ${code}`,
      code,
      slot: init.slot,
      field: init.field,
      requestId: 'req-1',
    },
    { status, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-1', ...init.headers } },
  );
}

export function makeTask(id: number, patch: Partial<Task> = {}): Task {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    type: 'core:text2text:summary',
    status: 'scheduled',
    appId: 'mail',
    userId: null,
    customId: null,
    input: { input: 'a long text' },
    output: null,
    progress: 0,
    priority: 0,
    attempts: 0,
    providerId: null,
    scheduledAt: at,
    startedAt: null,
    endedAt: null,
    lastUpdated: at,
    completionExpectedAt: null,
    errorMessage: null,
    userFacingErrorMessage: null,
    webhookUri: null,
    webhookMethod: null,
    preferStreaming: false,
    keepUntil: null,
    ...patch,
  };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/**
 * The fake coordinator is played at the fetch level: msw's interception of Node's http module
 * does not abort the handler's request signal when the client gives up, which the parked claims
 * and event streams of these fakes rely on. The default (http module) layer is tested against a
 * real server in spec/test/wire-transport.test.ts, and end to end in test/.
 */
export const fetchThroughMsw: typeof fetch = (input, init) => fetch(input, init);

/** A client of the fake coordinator with instant, recorded sleeps. */
export function createTestClient(options: Partial<TaskProcessingClientOptions> = {}) {
  const recorder = recordingSleep();
  const client = new TaskProcessingClient({ url: `${baseUrl}/`, token: 'tp_app', sleep: recorder.sleep, fetch: fetchThroughMsw, ...options });
  return { client, waits: recorder.waits };
}

/** What an awaited promise rejected with (fails the test if it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, got a value');
}
