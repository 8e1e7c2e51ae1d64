import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  TaskFailedError,
  TaskProcessingClient,
  type OutputStreamPart,
} from '@taskproc/client';
import { createHttp, waitForParkedClaims } from '../src/index.ts';
import { digestType } from '../src/prism/digest-provider.ts';
import { useContractWorld } from '../src/prism/contract-world.ts';
import { startPrism } from '../src/prism/start-prism.ts';

// The contract checked by a tool nobody here wrote: Stoplight Prism, in proxy mode, sits between
// the coordinator and its callers and validates every request and response against
// spec/openapi.json. The real app client and the real provider SDK run a whole scenario through
// it; the test counts the calls and fails on any violation Prism reports.
//
// What cannot be seen through Prism, and why (see contract-world.ts and start-prism.ts):
// - the endless event streams (the SDK's control stream, GET /v1/events) go straight to the
//   coordinator: Prism buffers a response body whole before it answers;
// - file bodies must be UTF-8 text: Prism reads request and response bodies that are not JSON as
//   strings (micri `text()`, node-fetch `text()`), so arbitrary bytes would not survive it.
//
// The route definitions do not depend on the database, so one PGlite coordinator is enough here
// (the database suites run on both).

const tasksOfTheRun = 48;
const minimumCalls = 500;

/** Runs `work(i)` for i in [0, n) with at most `width` at once. */
async function pool(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await work(next++);
  }));
}

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('the contract, checked by Stoplight Prism in proxy mode', () => {
  const w = useContractWorld();
  // The caller of requests that break the contract on purpose, to show Prism reports what the test counts.
  const deliberate = 'deliberate';

  it('lists the custom task type the provider registered', async () => {
    const types = await w.client.taskTypes();
    expect(types.map((t) => t.id)).toContain(digestType.id);
    const all = await w.client.taskTypes({ all: true });
    expect(all.length).toBeGreaterThan(types.length);
  });

  it('runs tasks with a file in and a file out, reads, lists and deletes them', async () => {
    await pool(tasksOfTheRun, 4, async (i) => {
      const text = `Document ${i}: grüße aus dem Proxy, ${'word '.repeat(i % 7)}end`;
      const upload = await w.client.uploadFile(encode(text), { name: `doc-${i}.txt`, mimeType: 'text/plain' });
      const output = await w.client.run(digestType, { document: upload.id, instruction: 'plain' }, { customId: `run-${i}` });
      expect(output.output).toBe(`${text.split(/\s+/).length} words`);
      const file = await w.client.downloadFile(output.file);
      expect({ text: decode(file.bytes), name: file.name }).toEqual({ text: text.toUpperCase(), name: `upper-doc-${i}.txt` });
      expect((await w.client.fileInfo(output.file)).size).toBe(file.bytes.length);
      const [task] = (await w.client.list({ customId: `run-${i}` })).tasks;
      expect(task).toMatchObject({ status: 'successful', progress: 1, providerId: 'contract:digest', attempts: 1 });
      if (i % 2 === 0) await w.client.delete(task!.id);
    });
    // Pages of two, through the cursor.
    let listed = 0;
    for await (const task of w.client.listAll({ type: digestType.id, limit: 2 })) {
      expect(task.status).toBe('successful');
      listed++;
    }
    expect(listed).toBe(tasksOfTheRun / 2);
  });

  it('streams the answer (the task\'s own event stream, which Prism delivers whole when it ends)', async () => {
    const upload = await w.client.uploadFile(encode('one two three'), { name: 'stream.txt', mimeType: 'text/plain' });
    const parts: OutputStreamPart[] = [];
    for await (const part of w.client.stream(digestType, { document: upload.id, instruction: 'plain' })) parts.push(part);
    const text = parts.map((p) => (p.kind === 'delta' ? p.text : '')).join('');
    expect(text).toBe('3 words');
    expect(parts.at(-1)).toMatchObject({ kind: 'done', output: { output: '3 words' } });
  });

  it('cancels a running task; the provider hears it on its control stream', async () => {
    const upload = await w.client.uploadFile(encode('hold me'), { name: 'hold.txt', mimeType: 'text/plain' });
    const task = await w.client.schedule({ type: digestType.id, input: { document: upload.id, instruction: 'hold' } });
    await w.held.started(task.id);
    expect((await w.client.get(task.id)).status).toBe('running');
    expect((await w.client.cancel(task.id)).status).toBe('cancelled');
    const reason = await w.held.aborted(task.id);
    expect(reason).toBeInstanceOf(AbortError);
    expect((reason as AbortError).kind).toBe('cancelled');
    // Again: no change, 200.
    expect((await w.client.cancel(task.id)).status).toBe('cancelled');
    expect((await w.client.wait(task.id)).status).toBe('cancelled');
  });

  it('fails a task the provider refuses, with its user-facing message', async () => {
    const upload = await w.client.uploadFile(encode('refuse me'), { name: 'refuse.txt', mimeType: 'text/plain' });
    const failed = await w.client.run(digestType, { document: upload.id, instruction: 'fail' }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(TaskFailedError);
    expect(failed).toMatchObject({ userFacingErrorMessage: 'This document cannot be digested.', errorMessage: 'deliberate failure of refuse.txt' });
    // A failed task is terminal: cancelling it is a conflict.
    const conflict = await w.client.cancel((failed as TaskFailedError).task.id).catch((err: unknown) => err);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).code).toBe('task_terminal');
  });

  it('answers the app\'s mistakes with problems', async () => {
    const upload = await w.client.uploadFile(encode('x'), { name: 'x.txt', mimeType: 'text/plain' });
    const refused = async (call: Promise<unknown>) => call.then(() => undefined, (err: unknown) => err as { status?: number; code?: string; slot?: string });
    expect(await refused(w.client.schedule({ type: 'contract:nothing', input: {} }))).toMatchObject({ status: 422, code: 'unknown_task_type' });
    expect(await refused(w.client.schedule({ type: digestType.id, input: { document: 'not a file id', instruction: 'plain' } }))).toMatchObject({
      status: 422,
      code: 'invalid_slot_value',
      slot: 'document',
    });
    expect(await refused(w.client.schedule({ type: digestType.id, input: { document: upload.id } }))).toMatchObject({ code: 'missing_slot', slot: 'instruction' });
    expect(await refused(w.client.schedule({ type: digestType.id, input: { document: upload.id, instruction: 'plain', extra: 1 } }))).toMatchObject({
      code: 'unknown_slot',
    });
    expect(await refused(w.client.schedule({ type: digestType.id, input: { document: 999_999, instruction: 'plain' } }))).toMatchObject({
      code: 'file_not_found',
    });
    expect(await refused(w.client.get(999_999))).toBeInstanceOf(NotFoundError);
    expect(await refused(w.client.cancel(999_999))).toBeInstanceOf(NotFoundError);
    expect(await refused(w.client.delete(999_999))).toBeInstanceOf(NotFoundError);
    expect(await refused(w.client.downloadFile(999_999))).toBeInstanceOf(NotFoundError);
    expect(await refused(w.client.fileInfo(999_999))).toBeInstanceOf(NotFoundError);
    // A token the coordinator never issued, and a provider token on an app route.
    const stranger = new TaskProcessingClient({ url: w.prism.url, token: 'tp_not_a_token_anyone_issued', fetch: w.tally.fetchFor('stranger') });
    expect(await refused(stranger.taskTypes())).toBeInstanceOf(AuthenticationError);
    expect(await refused(stranger.get(1))).toBeInstanceOf(AuthenticationError);
    const wrongRole = new TaskProcessingClient({ url: w.prism.url, token: w.providerToken, fetch: w.tally.fetchFor('provider') });
    expect(await refused(wrongRole.schedule({ type: digestType.id, input: { document: upload.id, instruction: 'plain' } }))).toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it('answers the provider\'s mistakes with problems', async () => {
    const p = w.providerHttp;
    const claimless = await p.post('/v1/work/12345/progress', { leaseId: '00000000-0000-4000-8000-000000000000', progress: 0.5 });
    expect(claimless.status).toBe(404);
    const result = await p.post('/v1/work/12345/result', { leaseId: '00000000-0000-4000-8000-000000000000', output: { output: 'x' } });
    expect(result.status).toBe(404);
    const release = await p.post('/v1/work/12345/release', { leaseId: '00000000-0000-4000-8000-000000000000' });
    expect(release.status).toBe(404);
    const unknownProvider = await p.post('/v1/work/next', { providerIds: ['contract:nobody'], waitMs: 0 });
    expect(unknownProvider.status).toBe(404);
    // The app's token on a provider route.
    expect((await w.appHttp.post('/v1/work/next', { providerIds: ['contract:digest'], waitMs: 0 })).status).toBe(403);
    // A runner with a token nobody issued stops at registration.
    const doomed = w.startRunner({ token: 'tp_not_a_provider_token_either' });
    await expect(doomed.done).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('reads the rest of the API: providers, tokens, settings, webhooks, health, metrics, the document', async () => {
    expect((await w.admin.get('/v1/providers')).status).toBe(200);
    const tokens = await w.admin.get('/v1/admin/tokens');
    expect(tokens.status).toBe(200);
    const spare = await w.admin.post('/v1/admin/tokens', { role: 'app', appId: 'spare', name: 'spare' });
    expect((await w.admin.delete(`/v1/admin/tokens/${spare.body.id}`)).status).toBe(204);
    const settingsPath = `/v1/admin/task-types/${encodeURIComponent(digestType.id)}`;
    const settings = await w.admin.get(settingsPath);
    expect(settings.status).toBe(200);
    expect((await w.admin.put(settingsPath, { enabled: true, preferredProviders: ['contract:digest'] })).status).toBe(200);
    const [newest] = (await w.client.list({ limit: 1 })).tasks;
    expect((await w.appHttp.get(`/v1/tasks/${newest!.id}/webhook-deliveries`)).status).toBe(200);
    const secret = await w.client.webhookSecret();
    expect(secret.secret).toBeTruthy();
    expect((await w.appHttp.post('/v1/webhook-secret/rotate')).status).toBe(200);
    expect((await w.admin.get('/metrics')).status).toBe(200);
    const anyone = createHttp(w.prism.url, undefined, w.tally.fetchFor('anyone'));
    expect((await anyone.get('/healthz')).status).toBe(200);
    expect((await anyone.get('/openapi.json')).status).toBe(200);
    expect((await anyone.get('/docs')).status).toBe(200);
  });

  it('hands held work back when the runner stops', async () => {
    // Prism does not pass a client's hang-up upstream: a claim the stopped runner gave up on stays
    // parked at the coordinator (for its waitMs) and would take the released task for nobody. So
    // the first runner's claims run out first, and the runner that holds the task has no other
    // slot, hence no claim parked when it stops.
    await w.runner.stop();
    const direct = createHttp(w.coordinator.url, w.coordinator.adminToken);
    await waitForParkedClaims(direct, (parked) => parked === 0);
    const runner = w.startRunner({ concurrency: 1 });
    const upload = await w.client.uploadFile(encode('hold me too'), { name: 'hold2.txt', mimeType: 'text/plain' });
    const task = await w.client.schedule({ type: digestType.id, input: { document: upload.id, instruction: 'hold' } });
    await w.held.started(task.id);
    await runner.stop({ graceMs: 0 });
    expect(await w.held.aborted(task.id)).toMatchObject({ kind: 'shutdown' });
    // Released, not failed: back in the queue with its attempt given back.
    expect(await w.client.get(task.id)).toMatchObject({ status: 'scheduled', attempts: 0 });
    expect((await w.client.cancel(task.id)).status).toBe('cancelled');
  });

  it('shows that Prism does report what breaks the contract', async () => {
    const raw = createHttp(w.prism.url, undefined, w.tally.fetchFor(deliberate));
    // No bearer token, and a priority the schema bounds at 1000.
    expect((await raw.get('/v1/task-types')).status).toBe(401);
    const tooHigh = await raw.post('/v1/tasks', { type: digestType.id, input: {}, priority: 5000 }, { token: w.appToken });
    expect(tooHigh.status).toBe(400);
    const flagged = w.tally.calls.filter((call) => call.caller === deliberate);
    expect(flagged.map((call) => call.violations.map((v) => v.location.join('.')))).toEqual([['request'], ['request.body.priority']]);
  });

  it('shows that Prism does check responses (a doctored copy of the document says /healthz answers something else)', async () => {
    const doctored = await startPrism(w.coordinator.url, {
      doctor: (document) => (document.components.schemas.Health.properties.status = { type: 'string', enum: ['fine'] }),
    });
    try {
      const res = await fetch(new URL('/healthz', doctored.url));
      expect(res.status).toBe(200);
      const violations = JSON.parse(res.headers.get('sl-violations') ?? '[]') as Array<{ location: string[] }>;
      expect(violations.map((v) => v.location.join('.'))).toEqual(['response.body.status']);
      // The log says so too (and again for logAfter's own GET /healthz).
      expect((await doctored.logAfter(1)).violations[0]).toMatch(/Violation: response\.body\.status /);
    } finally {
      await doctored.stop();
    }
  });

  it('sent every call through Prism, and Prism found no violation', async () => {
    const { calls, direct } = w.tally;
    const summary = [...w.tally.routes()].map(([route, statuses]) => `${route} ${[...statuses].sort().join(',')}`).sort();
    console.info(
      `${calls.length} calls through Prism (${summary.length} routes):\n  ${summary.join('\n  ')}\n` +
        `straight to the coordinator: ${JSON.stringify(Object.fromEntries(direct))}`,
    );
    // Soft: a failing run shows every finding at once.
    const violations = w.tally.flagged().filter((line) => !line.startsWith(`${deliberate} `));
    expect.soft(violations.length, `Prism reported contract violations:\n${violations.join('\n')}\n`).toBe(0);
    const log = await w.prism.logAfter(calls.length);
    // Its log tells the same story: as many violations as the headers carried, the deliberate ones included.
    const inHeaders = calls.reduce((sum, call) => sum + call.violations.length, 0);
    expect.soft(log.violations.length, [...new Set(log.violations)].join('\n')).toBe(inHeaders);
    expect.soft(calls.length).toBeGreaterThanOrEqual(minimumCalls);
    // Prism logged every call the clients sent it (and maybe the unanswered ones): nothing went around it.
    expect.soft(log.requests).toBeGreaterThanOrEqual(calls.length);
    expect.soft(log.requests).toBeLessThanOrEqual(calls.length + w.tally.unanswered);
    // The runner with a token nobody issued said so; nothing else may have gone wrong for the SDK.
    expect.soft(w.sdkComplaints.filter((line) => !line.includes('registration refused'))).toEqual([]);
    expect(direct.get('GET /v1/work/control')).toBeGreaterThan(0);
  });
});
