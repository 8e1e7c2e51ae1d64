import { randomUUID } from 'node:crypto';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import type { ClaimRequest, SlotValues, Task } from '@taskproc/spec';

export const coordinatorUrl = 'http://coordinator.test';

/**
 * Runners reach the fake through fetch: msw's interception of Node's http module (the SDK's
 * default) does not abort a handler's request signal when the runner gives up, which the parked
 * claims and control streams here rely on. The default layer is tested against a real server in
 * spec/test/wire-transport.test.ts, and end to end in test/.
 */
export const fetchThroughMsw: typeof fetch = (input, init) => fetch(input, init);

/** A call the SDK made, as the fake coordinator saw it. */
export interface RecordedCall {
  method: string;
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire bodies, read loosely by tests
  body: any;
  /** performance.now() when it arrived. */
  at: number;
}

interface Lease {
  taskId: number;
  providerId: string;
  cancelled: boolean;
}

/** Answers a route instead of the default behaviour, when it returns a response. */
export type Override = (call: RecordedCall) => Response | undefined | Promise<Response | undefined>;

export function problem(status: number, code: string, init: { headers?: Record<string, string>; slot?: string } = {}) {
  return HttpResponse.json(
    { type: `urn:taskproc:problem:${code}`, title: code, status, detail: `fake ${code}`, code, slot: init.slot, requestId: 'req-1' },
    { status, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-1', ...init.headers } },
  );
}

/** A problem document as a batch outcome carries it. */
function problemBody(status: number, code: string) {
  return { type: `urn:taskproc:problem:${code}`, title: code, status, detail: `fake ${code}`, code };
}

export function makeTask(id: number, input: SlotValues, type = 'core:text2text:summary'): Task {
  const at = new Date().toISOString();
  return {
    id,
    type,
    status: 'running',
    appId: 'app',
    userId: 'alice',
    customId: null,
    input,
    output: null,
    progress: 0,
    priority: 0,
    attempts: 1,
    providerId: null,
    scheduledAt: at,
    startedAt: at,
    endedAt: null,
    lastUpdated: at,
    completionExpectedAt: null,
    errorMessage: null,
    userFacingErrorMessage: null,
    webhookUri: null,
    webhookMethod: null,
    preferStreaming: false,
    keepUntil: null,
  };
}

/**
 * An in-memory coordinator behind msw: hands out queued tasks on /v1/work/next (parking the
 * request while the queue is empty), records every call, and lets a test cancel a lease or
 * override any answer.
 */
export function createFakeCoordinator(options: { leaseMs?: number } = {}) {
  const calls: RecordedCall[] = [];
  const queue: Array<{ task: Task; providerId: string }> = [];
  const leases = new Map<string, Lease>();
  const parked = new Set<() => void>();
  const callWaiters: Array<{ match: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  const overrides: Override[] = [];
  const controlStreams = new Set<(text: string) => void>();
  const leaseMs = options.leaseMs ?? 60_000;

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const waiter of [...callWaiters]) {
      if (waiter.match(call)) {
        callWaiters.splice(callWaiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  };

  const answerCall = async (call: RecordedCall, request: Request, respond: (call: RecordedCall, request: Request) => Promise<Response> | Response) => {
    record(call);
    for (const override of overrides) {
      const answer = await override(call);
      if (answer) return answer;
    }
    return respond(call, request);
  };

  const handle = (method: 'get' | 'put' | 'post', path: string, respond: (call: RecordedCall, request: Request) => Promise<Response> | Response) =>
    http[method](`${coordinatorUrl}${path}`, async ({ request }) => {
      const url = new URL(request.url);
      const text = request.method === 'GET' ? '' : await request.clone().text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // raw bytes (file upload)
      }
      return answerCall({ method: request.method, path: url.pathname + url.search, body, at: performance.now() }, request, respond);
    });

  const answerResult = (call: RecordedCall) => {
    const refused = leaseAnswer(call);
    if (refused) return refused;
    const lease = leases.get(call.body.leaseId)!;
    const task = makeTask(lease.taskId, {});
    return HttpResponse.json({ task: { ...task, status: call.body.output ? 'successful' : 'failed' } });
  };

  const leaseAnswer = (call: RecordedCall): Response | undefined => {
    const lease = leases.get(call.body?.leaseId);
    if (!lease) return problem(409, 'lease_lost');
    if (lease.cancelled) return problem(409, 'task_cancelled');
    return undefined;
  };

  /** What a claim gets: waits (up to waitMs) for a task when none is queued, then leases up to max. */
  const claimFor = async (claim: Required<ClaimRequest>, request: Request) => {
    if (queue.length === 0 && claim.waitMs > 0 && !request.signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          parked.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, claim.waitMs);
        parked.add(wake);
        request.signal.addEventListener('abort', wake, { once: true });
      });
    }
    return queue.splice(0, claim.max).map(({ task, providerId }) => {
      const leaseId = randomUUID();
      leases.set(leaseId, { taskId: task.id, providerId, cancelled: false });
      return { task, providerId, leaseId, leaseExpiresAt: new Date(Date.now() + leaseMs).toISOString() };
    });
  };

  const server = setupServer(
    handle('put', '/v1/providers/:id', (call) => HttpResponse.json({ id: call.path } as JsonBodyType, { status: 201 })),
    handle('post', '/v1/work/next', async (call, request) => {
      const claim = call.body as Required<ClaimRequest>;
      return HttpResponse.json({ tasks: await claimFor(claim, request) });
    }),
    handle('post', '/v1/work/:taskId/progress', (call) => {
      return leaseAnswer(call) ?? HttpResponse.json({ leaseExpiresAt: new Date(Date.now() + leaseMs).toISOString() });
    }),
    handle('post', '/v1/work/:taskId/result', answerResult),
    // The batch route answers each report as the single route would: every item is recorded and
    // overridable as a call to /v1/work/{taskId}/result, so tests read the same either way.
    handle('post', '/v1/work/results', async (call, request) => {
      const outcomes = [];
      for (const { taskId, ...report } of call.body.results as Array<{ taskId: number; leaseId: string }>) {
        const item = { method: 'POST', path: `/v1/work/${taskId}/result`, body: report, at: performance.now() };
        const res = await answerCall(item, request, answerResult);
        if (res.type === 'error') return HttpResponse.error();
        if (res.status >= 500 || res.status === 429) return res;
        const json = (await res.json()) as { task?: Task; status?: number };
        outcomes.push(res.ok ? { taskId, status: 200, state: json.task?.status } : { taskId, status: res.status, problem: json });
      }
      // A claim sent along (`next`) is answered after the reports, as the coordinator does.
      const next = call.body.next as Required<ClaimRequest> | undefined;
      return HttpResponse.json({ results: outcomes, ...(next ? { tasks: await claimFor(next, request) } : {}) });
    }),
    handle('post', '/v1/work/:taskId/release', (call) => leaseAnswer(call) ?? HttpResponse.json({})),
    handle('post', '/v1/work/stream', (call) =>
      HttpResponse.json({
        results: (call.body.items as Array<{ taskId: number; leaseId: string }>).map((item) => {
          const lease = leases.get(item.leaseId);
          if (!lease) return { taskId: item.taskId, status: 409, problem: problemBody(409, 'lease_lost') };
          if (lease.cancelled) return { taskId: item.taskId, status: 409, problem: problemBody(409, 'task_cancelled') };
          return { taskId: item.taskId, status: 200 };
        }),
      }),
    ),
    // The control stream stays open (silent) until the runner hangs up; `pushLeaseEnded` writes to it.
    handle('get', '/v1/work/control', (_call, request) => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const send = (text: string) => controller.enqueue(encoder.encode(text));
          controlStreams.add(send);
          send('retry: 2000\n\n');
          request.signal.addEventListener('abort', () => {
            controlStreams.delete(send);
            controller.close();
          });
        },
      });
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
    }),
  );

  return {
    server,
    calls,
    /** Queues a task; wakes one parked claim. */
    addTask(task: Task, providerId = 'test:summary') {
      queue.push({ task, providerId });
      for (const wake of parked) {
        wake();
        break;
      }
    },
    /** Marks the lease of a task cancelled: its next lease call answers 409 task_cancelled. */
    cancel(taskId: number) {
      for (const lease of leases.values()) if (lease.taskId === taskId) lease.cancelled = true;
    },
    /** Pushes a lease end on every open control stream, as the coordinator does on a cancel. */
    pushLeaseEnded(notice: { taskId: number; providerId: string; leaseId: string | null; reason: string }) {
      for (const send of controlStreams) send(`event: lease_ended\ndata: ${JSON.stringify(notice)}\n\n`);
    },
    controlStreamCount: () => controlStreams.size,
    override(fn: Override) {
      overrides.push(fn);
    },
    /** Resolves with the first call (past or future) matching. */
    waitForCall(match: (c: RecordedCall) => boolean): Promise<RecordedCall> {
      const seen = calls.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => callWaiters.push({ match, resolve }));
    },
    callsTo(suffix: string) {
      return calls.filter((c) => c.path.split('?')[0]!.endsWith(suffix));
    },
    parkedCount: () => parked.size,
  };
}
export type FakeCoordinator = ReturnType<typeof createFakeCoordinator>;
