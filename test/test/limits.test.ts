import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  expectProblem,
  registerProvider,
  startCoordinator,
  tokenClient,
  useInProcessCoordinator,
  waitForParkedClaims,
  type Http,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';

// Per-caller policy: rate limits and quotas on scheduling, and the cap on parked long-polls per
// token. In process for the rules; two real coordinators on one PostgreSQL for "alternating
// replicas does not double a limit".

const summary = 'core:text2text:summary';

describeEachDatabase('limits', (kind) => {
  describe('rate limits on scheduling', () => {
    const fx = useInProcessCoordinator(kind, {
      TASKPROC_SCHEDULE_RATE_PER_USER: '3',
      TASKPROC_SCHEDULE_RATE_PER_APP: '5',
      TASKPROC_SCHEDULE_RATE_WINDOW_S: '3600',
    });
    let mail: Http;
    beforeAll(async () => {
      mail = await tokenClient(fx.admin, 'app', 'mail');
      await registerProvider(await tokenClient(fx.admin, 'provider', 'llm'), 'llm:summary', { name: 'LLM', taskType: summary });
    });
    const schedule = (app: Http, userId?: string) =>
      app.post('/v1/tasks', { type: summary, input: { input: 'text' }, ...(userId ? { userId } : {}) });
    const taskCount = async () => Number((await fx.db.query('SELECT count(*)::int AS n FROM tasks'))[0]!.n);

    it('refuses a user over its limit with 429 rate_limited and Retry-After, writing nothing; other users go on', async () => {
      for (let i = 0; i < 3; i++) expect((await schedule(mail, 'alice')).status).toBe(201);
      const before = await taskCount();
      const refused = await schedule(mail, 'alice');
      expectProblem(refused, 429, 'rate_limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refused.body.detail).toContain('alice');
      expect(await taskCount()).toBe(before);
      expect((await schedule(mail, 'bob')).status).toBe(201);
    });

    it('limits the app as a whole, whoever it schedules for', async () => {
      // 4 of the app's 5 are spent above (alice 3, bob 1).
      expect((await schedule(mail)).status).toBe(201);
      expectProblem(await schedule(mail, 'carol'), 429, 'rate_limited');
      expectProblem(await schedule(mail), 429, 'rate_limited');
      // Another app has a window of its own; the admin is never limited.
      expect((await schedule(await tokenClient(fx.admin, 'app', 'chat'), 'alice')).status).toBe(201);
      expect((await schedule(fx.admin, 'alice')).status).toBe(201);
    });
  });

  describe('quotas of unfinished tasks', () => {
    const fx = useInProcessCoordinator(kind, { TASKPROC_MAX_UNFINISHED_PER_USER: '2', TASKPROC_MAX_UNFINISHED_PER_APP: '3' });
    let mail: Http;
    beforeAll(async () => {
      mail = await tokenClient(fx.admin, 'app', 'mail');
      await registerProvider(await tokenClient(fx.admin, 'provider', 'llm'), 'llm:summary', { name: 'LLM', taskType: summary });
    });
    const schedule = (userId?: string) =>
      mail.post('/v1/tasks', { type: summary, input: { input: 'text' }, ...(userId ? { userId } : {}) });

    it('refuses a user at its quota with 429 quota_exceeded until one of its tasks ends', async () => {
      const first = await schedule('alice');
      expect(first.status).toBe(201);
      expect((await schedule('alice')).status).toBe(201);
      const refused = await schedule('alice');
      expectProblem(refused, 429, 'quota_exceeded');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await mail.post(`/v1/tasks/${first.body.id}/cancel`)).status).toBe(200);
      expect((await schedule('alice')).status).toBe(201);
    });

    it('refuses the app at its quota, for any user', async () => {
      // alice has 2 unfinished: one more for bob reaches the app's 3.
      expect((await schedule('bob')).status).toBe(201);
      expectProblem(await schedule('carol'), 429, 'quota_exceeded');
      expectProblem(await schedule(), 429, 'quota_exceeded');
    });

    it('counts the tasks of one batch against the quotas, as requests one after another would', async () => {
      await fx.db.query("UPDATE tasks SET status = 'cancelled' WHERE status IN ('scheduled', 'running')");
      const task = (userId: string) => ({ type: summary, input: { input: 'in a batch' }, userId });
      const res = await mail.post('/v1/tasks/batch', { tasks: [task('dave'), task('dave'), task('dave'), task('erin'), task('erin')] });
      expect(res.status).toBe(200);
      const results = res.body.results as Array<{ status: number; problem?: { code: string }; retryAfter?: number }>;
      // dave's third is over his 2; erin's first makes the app's 3, her second is over it.
      expect(results.map((r) => r.status)).toEqual([201, 201, 429, 201, 429]);
      expect(results.map((r) => r.problem?.code)).toEqual([undefined, undefined, 'quota_exceeded', undefined, 'quota_exceeded']);
      expect(results[2]!.retryAfter).toBeGreaterThan(0);
      const [{ n }] = (await fx.db.query("SELECT count(*)::int AS n FROM tasks WHERE status = 'scheduled'")) as [{ n: number }];
      expect(n).toBe(3);
    });
  });

  describe('parked long-polls per token', () => {
    const fx = useInProcessCoordinator(kind, { TASKPROC_MAX_PARKED_POLLS_PER_TOKEN: '2', TASKPROC_MAX_WAIT_MS: '60000' });
    let provider: Http;
    beforeAll(async () => {
      provider = await tokenClient(fx.admin, 'provider', 'llm');
      await registerProvider(provider, 'llm:summary', { name: 'LLM', taskType: summary });
    });
    const park = (signal: AbortSignal) =>
      provider.request('POST', '/v1/work/next', { json: { providerIds: ['llm:summary'], waitMs: 60_000 }, signal }).catch(() => undefined);
    // The gauge counts claims past the admission: they looked, found nothing and wait.
    const untilParked = (until: (n: number) => boolean) => waitForParkedClaims(fx.admin, until);

    it('answers 429 too_many_polls past the cap, and takes polls again once one ends', async () => {
      const first = new AbortController();
      const second = new AbortController();
      void park(first.signal);
      void park(second.signal);
      await untilParked((n) => n >= 2);
      const refused = await provider.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs: 60_000 });
      expectProblem(refused, 429, 'too_many_polls');
      expect(refused.headers.get('retry-after')).toBe('1');
      second.abort();
      await untilParked((n) => n <= 1);
      const third = new AbortController();
      void park(third.signal);
      await untilParked((n) => n >= 2);
      // Two parked again: the second one's slot went back when it ended.
      expectProblem(await provider.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs: 60_000 }), 429, 'too_many_polls');
      // Another token of the same app has a count of its own; a claim that does not wait never parks.
      const other = await tokenClient(fx.admin, 'provider', 'llm');
      expect((await other.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs: 10 })).status).toBe(200);
      expect((await provider.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs: 0 })).status).toBe(200);
      first.abort();
      third.abort();
    });
  });
});

// Two coordinators on one PostgreSQL: the counters are rows every replica shares.
describe.skipIf(!inject('postgresAvailable'))('limits across replicas [postgres]', () => {
  let db: TestDatabase;
  let a: RunningCoordinator;
  let b: RunningCoordinator;
  const env = {
    TASKPROC_SCHEDULE_RATE_PER_USER: '4',
    TASKPROC_SCHEDULE_RATE_WINDOW_S: '3600',
    TASKPROC_MAX_UNFINISHED_PER_APP: '6',
    TASKPROC_MAX_PARKED_POLLS_PER_TOKEN: '2',
    TASKPROC_MAX_WAIT_MS: '60000',
  };
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    [a, b] = await Promise.all([startCoordinator(db, env), startCoordinator(db, env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
  });

  it('a caller alternating replicas gets its limits once, not once per replica', async () => {
    const adminA = createHttp(a.url, a.adminToken);
    const appToken = (await adminA.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'mail' })).body.token;
    const providerToken = (await adminA.post('/v1/admin/tokens', { role: 'provider', appId: 'llm', name: 'llm' })).body.token;
    const appOn = [createHttp(a.url, appToken), createHttp(b.url, appToken)];
    const providerOn = [createHttp(a.url, providerToken), createHttp(b.url, providerToken)];
    await registerProvider(providerOn[0]!, 'llm:summary', { name: 'LLM', taskType: summary });
    const schedule = (i: number, userId?: string) =>
      appOn[i % 2]!.post('/v1/tasks', { type: summary, input: { input: 'x' }, ...(userId ? { userId } : {}) });

    // Rate: 4 per user, alternating A, B, A, B; the fifth (on A) and sixth (on B) are refused.
    for (let i = 0; i < 4; i++) expect((await schedule(i, 'alice')).status).toBe(201);
    expectProblem(await schedule(4, 'alice'), 429, 'rate_limited');
    expectProblem(await schedule(5, 'alice'), 429, 'rate_limited');

    // Quota: 6 unfinished per app; 4 exist, two more (one per replica), then both refuse.
    expect((await schedule(0)).status).toBe(201);
    expect((await schedule(1)).status).toBe(201);
    expectProblem(await schedule(0), 429, 'quota_exceeded');
    expectProblem(await schedule(1), 429, 'quota_exceeded');

    // Parked polls: cancel the queue so claims park, park two on A, then B refuses a third once
    // it has read A's count (replicas share counts every half second: polled, bounded).
    const ids = (await appOn[0]!.get('/v1/tasks?limit=100')).body.tasks.map((t: { id: number }) => t.id);
    for (const id of ids) expect((await appOn[0]!.post(`/v1/tasks/${id}/cancel`)).status).toBe(200);
    const parkA = [new AbortController(), new AbortController()];
    const claimOn = (i: number, signal?: AbortSignal) =>
      providerOn[i]!.request('POST', '/v1/work/next', { json: { providerIds: ['llm:summary'], waitMs: 60_000 }, signal });
    const parkedOnA = parkA.map((c) => claimOn(0, c.signal).catch(() => undefined));
    expectProblem(await untilRefused(() => claimOn(1, AbortSignal.timeout(300))), 429, 'too_many_polls');
    expectProblem(await claimOn(0), 429, 'too_many_polls');
    for (const c of parkA) c.abort();
    await Promise.all(parkedOnA);
  });
});

/**
 * Tries a claim until it is refused: while B has not yet read A's counts it parks (and the short
 * signal ends it). Bounded: replicas share counts every 500 ms.
 */
async function untilRefused(attempt: () => Promise<{ status: number }>): Promise<any> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await attempt().catch(() => undefined);
    if (res && res.status !== 200) return res;
    if (Date.now() > deadline) throw new Error('replica B never refused the third parked poll');
  }
}
