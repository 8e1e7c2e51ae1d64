import { beforeAll, describe, expect, it } from 'vitest';
import {
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  useInProcessCoordinator,
  waitForParkedClaims,
  type Http,
} from '../src/index.ts';

// The hot path's shortcuts, in process (requests go to app.fetch; the test reaches into the
// database): hand-off to parked claims, batched result reports, and the claim's use of its index.
// Each shortcut must answer exactly what the long way answers.

const summary = 'core:text2text:summary';

/** A task as scheduleTask hands it to the insert: mail's, no key, no files. */
const newTask = (input: string, priority = 0) => ({
  type: summary,
  appId: 'mail',
  userId: null,
  customId: null,
  input: { input },
  priority,
  maxAttempts: 3,
  now: new Date(),
  completionExpectedAt: new Date(),
  webhookUri: null,
  webhookMethod: null,
  idempotencyKey: null,
  requestHash: null,
  preferStreaming: false,
  keepUntil: null,
  requestId: null,
  inputFileIds: [],
});

describeEachDatabase('hot path', (kind) => {
  const fx = useInProcessCoordinator(kind, { TASKPROC_MAX_WAIT_MS: '60000' });
  let app: Http;
  let provider: Http;
  let stranger: Http;

  beforeAll(async () => {
    app = await tokenClient(fx.admin, 'app', 'mail');
    provider = await tokenClient(fx.admin, 'provider', 'llm');
    stranger = await tokenClient(fx.admin, 'provider', 'stranger');
    await registerProvider(provider, 'llm:summary', { name: 'LLM summary', taskType: summary });
    await registerProvider(stranger, 'stranger:summary', { name: 'Other', taskType: 'core:text2text:headline' });
  });

  const schedule = async (input: string, priority = 0) => {
    const res = await app.post('/v1/tasks', { type: summary, input: { input }, priority });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; status: string; providerId: string | null; attempts: number };
  };
  const claim = (body: Record<string, unknown> = {}, signal?: AbortSignal) =>
    provider
      .request('POST', '/v1/work/next', { json: { providerIds: ['llm:summary'], ...body }, signal })
      .then((res) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.tasks as Array<{ task: { id: number; attempts: number }; leaseId: string }>;
      });
  const drain = async () => {
    for (let tasks = await claim({ max: 100 }); tasks.length > 0; tasks = await claim({ max: 100 })) {
      const results = tasks.map((t) => ({ taskId: t.task.id, leaseId: t.leaseId, output: { output: 'done' } }));
      expect((await provider.post('/v1/work/results', { results })).status).toBe(200);
    }
  };
  const metric = async (line: RegExp) => {
    const res = await fx.admin.get('/metrics');
    expect(res.status).toBe(200);
    return Number(line.exec(res.body as string)?.[1] ?? NaN);
  };
  const handoffs = () => metric(/^taskproc_tasks_scheduled_total\{delivery="handoff"\} (\d+)$/m);
  const untilParked = () => waitForParkedClaims(fx.admin, (n) => n >= 1);
  const eventKinds = async (taskId: number) =>
    (await fx.db.query('SELECT kind FROM task_events WHERE task_id = $1 ORDER BY id', [taskId])).map((r) => r.kind);
  /** Runs `run` while counting the statements whose text `matches`. */
  const countingStatements = async <T>(matches: (text: string) => boolean, run: () => Promise<T>): Promise<{ result: T; statements: number }> => {
    const db = fx.db as { query: typeof fx.db.query };
    const query = db.query;
    let statements = 0;
    db.query = (text, params) => {
      if (matches(text)) statements++;
      return query(text, params);
    };
    try {
      return { result: await run(), statements };
    } finally {
      db.query = query;
    }
  };
  /** A queued task written straight to the database: it wakes nobody, as if scheduled elsewhere. */
  const queueBehindTheScenes = async (priority: number) => {
    const [row] = await fx.db.query(
      `INSERT INTO tasks (type, status, app_id, input, priority, max_attempts, scheduled_at, last_updated)
       VALUES ($1, 'scheduled', 'mail', '{"input":"queued"}', $2, 3, now(), now()) RETURNING id`,
      [summary, priority],
    );
    return Number(row!.id);
  };

  describe('hand-off', () => {
    it('gives a task scheduled while a claim is parked straight to that claim: it is never scheduled', async () => {
      await drain();
      const before = await handoffs();
      const parked = claim({ waitMs: 30_000 });
      await untilParked();
      const task = await schedule('handed over');
      // The schedule answer itself shows the task running: no claim could ever see it queued.
      expect(task).toMatchObject({ status: 'running', providerId: 'llm:summary', attempts: 1 });
      const [claimed] = await parked;
      expect(claimed).toMatchObject({ task: { id: task.id, status: 'running', attempts: 1 }, providerId: 'llm:summary' });
      expect(await handoffs()).toBe(before + 1);
      // The stream tells the usual story: scheduled, then running.
      expect(await eventKinds(task.id)).toEqual(['scheduled', 'running']);
      const done = await provider.post(`/v1/work/${task.id}/result`, { leaseId: claimed!.leaseId, output: { output: 'ok' } });
      expect(done.body.task).toMatchObject({ status: 'successful', output: { output: 'ok' } });
    });

    it('queues a task when one of at least its priority waits, and hands over one that outranks it', async () => {
      await drain();
      const before = await handoffs();
      let parked = claim({ waitMs: 30_000 });
      await untilParked();
      const older = await queueBehindTheScenes(5);
      // Equal priority: the older task is owed the claim, so the new one queues.
      const equal = await schedule('equal', 5);
      expect(equal.status).toBe('scheduled');
      expect((await parked).map((t) => t.task.id)).toEqual([older]);

      // It waits behind the older one, and is claimed next.
      expect((await claim()).map((t) => t.task.id)).toEqual([equal.id]);

      parked = claim({ waitMs: 30_000 });
      await untilParked();
      const outranked = await queueBehindTheScenes(1);
      // Higher than anything waiting of its type: straight to the parked claim.
      const urgent = await schedule('urgent', 9);
      expect(urgent.status).toBe('running');
      expect((await parked).map((t) => t.task.id)).toEqual([urgent.id]);
      expect(await handoffs()).toBe(before + 1);
      expect((await claim({ max: 10 })).map((t) => t.task.id)).toEqual([outranked]);
      await fx.db.query("UPDATE tasks SET status = 'cancelled' WHERE status = 'running'");
    });

    it('gives the task back when the parked claim\'s client went away during the hand-off', async () => {
      await drain();
      const gone = new AbortController();
      const parked = claim({ waitMs: 30_000 }, gone.signal);
      await untilParked();
      // The client hangs up between the offer and the answer: exactly while the insert runs.
      const db = fx.db as { query: typeof fx.db.query };
      const query = db.query;
      db.query = (text, params) => {
        if (text.includes('INSERT INTO tasks AS t')) gone.abort();
        return query(text, params);
      };
      let task;
      try {
        task = await schedule('nobody got this');
      } finally {
        db.query = query;
      }
      expect(await parked).toEqual([]);
      const [row] = await fx.db.query('SELECT status, attempts, lease_id FROM tasks WHERE id = $1', [task.id]);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 0, lease_id: null });
      expect(await eventKinds(task.id)).toEqual(['scheduled', 'running', 'requeued']);
      const [again] = await claim();
      expect(again).toMatchObject({ task: { id: task.id, attempts: 1 } });
      await provider.post(`/v1/work/${task.id}/result`, { leaseId: again!.leaseId, output: { output: 'late' } });
    });
  });

  describe('batched results', () => {
    /** Six claimed tasks set up for the six kinds of report: valid, invalid, stale, cancelled, repeated, error. */
    const prepare = async () => {
      await drain();
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push((await schedule(`report ${i}`)).id);
      const claimed = await claim({ max: 6 });
      const leaseOf = (id: number) => claimed.find((t) => t.task.id === id)!.leaseId;
      const [valid, invalid, stale, cancelled, repeated, error] = ids as [number, number, number, number, number, number];
      expect((await app.post(`/v1/tasks/${cancelled}/cancel`)).status).toBe(200);
      const repeatReport = { leaseId: leaseOf(repeated), output: { output: 'same' } };
      expect((await provider.post(`/v1/work/${repeated}/result`, repeatReport)).status).toBe(200);
      return [
        { taskId: valid, leaseId: leaseOf(valid), output: { output: 'fine' } },
        { taskId: invalid, leaseId: leaseOf(invalid), output: { output: 'x', constructor: 'no such slot' } },
        { taskId: stale, leaseId: crypto.randomUUID(), output: { output: 'not mine' } },
        { taskId: cancelled, leaseId: leaseOf(cancelled), output: { output: 'too late' } },
        { taskId: repeated, ...repeatReport },
        { taskId: error, leaseId: leaseOf(error), error: { message: 'model down', userFacingMessage: 'Try later' } },
      ];
    };
    const summaryOf = (status: number, body: any) => ({ status, code: body?.code, slot: body?.slot, state: body?.task?.status });

    it('answers each report of a mixed batch as the single route answers it alone', async () => {
      const single = [];
      for (const { taskId, ...report } of await prepare()) {
        const res = await provider.post(`/v1/work/${taskId}/result`, report);
        single.push(summaryOf(res.status, res.body));
      }
      expect(single).toEqual([
        { status: 200, state: 'successful' },
        { status: 422, code: 'invalid_output', slot: 'constructor' },
        { status: 409, code: 'lease_lost' },
        { status: 409, code: 'task_cancelled' },
        { status: 200, state: 'successful' },
        { status: 200, state: 'failed' },
      ]);

      const reports = await prepare();
      const res = await provider.post('/v1/work/results', { results: reports });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const batch = res.body.results.map((o: any) => summaryOf(o.status, o.problem ?? { task: o.task }));
      expect(batch).toEqual(single);
      expect(res.body.results.map((o: any) => o.taskId)).toEqual(reports.map((r) => r.taskId));
      expect(res.body.results[1]).toMatchObject({ state: 'failed' });
      // And the tasks ended as the single route would have left them.
      const [validRow] = await fx.db.query('SELECT status, output, progress FROM tasks WHERE id = $1', [reports[0]!.taskId]);
      expect(validRow).toMatchObject({ status: 'successful', progress: 1 });
      const [errorRow] = await fx.db.query('SELECT status, error_message, user_facing_error_message FROM tasks WHERE id = $1', [reports[5]!.taskId]);
      expect(errorRow).toMatchObject({ status: 'failed', error_message: 'model down', user_facing_error_message: 'Try later' });
      expect(await eventKinds(reports[0]!.taskId)).toEqual(['scheduled', 'running', 'successful']);
    });

    it('answers minimally when asked, and claims the next tasks in the same round trip', async () => {
      await drain();
      const first = await schedule('first');
      const [claimed] = await claim();
      const waiting = await schedule('waiting');
      const res = await provider.post(
        '/v1/work/results',
        { results: [{ taskId: first.id, leaseId: claimed!.leaseId, output: { output: 'ok' } }], next: { providerIds: ['llm:summary'], max: 5 } },
        { headers: { Prefer: 'return=minimal' } },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('preference-applied')).toBe('return=minimal');
      expect(res.body.results).toEqual([{ taskId: first.id, status: 200, state: 'successful' }]);
      expect(res.body.tasks.map((t: any) => t.task.id)).toEqual([waiting.id]);
      const single = await provider.post(
        `/v1/work/${waiting.id}/result`,
        { leaseId: res.body.tasks[0].leaseId, output: { output: 'ok' } },
        { headers: { Prefer: 'return=minimal' } },
      );
      expect(single.status).toBe(204);
      expect(single.body).toBe('');
    });

    it('refuses a batch that reports a task twice, or claims for a foreign provider, and stores nothing', async () => {
      await drain();
      const task = await schedule('once');
      const [claimed] = await claim();
      const report = { taskId: task.id, leaseId: claimed!.leaseId, output: { output: 'ok' } };
      expectProblem(await provider.post('/v1/work/results', { results: [report, report] }), 400, 'invalid_request', {
        field: 'json.results.1.taskId',
      });
      expectProblem(
        await provider.post('/v1/work/results', { results: [report], next: { providerIds: ['stranger:summary'] } }),
        404,
        'not_found',
        { field: 'json.providerIds' },
      );
      const [row] = await fx.db.query('SELECT status FROM tasks WHERE id = $1', [task.id]);
      expect(row!.status).toBe('running');
      const { taskId: _, ...single } = report;
      expect((await provider.post(`/v1/work/${task.id}/result`, single)).status).toBe(200);
    });

    it('writes concurrent single reports together, in fewer statements than reports', async () => {
      await drain();
      for (let i = 0; i < 20; i++) await schedule(`concurrent ${i}`);
      const claimed = await claim({ max: 20 });
      expect(claimed).toHaveLength(20);
      const { result: answers, statements } = await countingStatements(
        (text) => text.includes('UPDATE tasks t SET status = r.status'),
        () => Promise.all(claimed.map((t) => provider.post(`/v1/work/${t.task.id}/result`, { leaseId: t.leaseId, output: { output: `r${t.task.id}` } }))),
      );
      expect(answers.map((a) => a.status)).toEqual(claimed.map(() => 200));
      expect(answers.map((a) => a.body.task.output.output)).toEqual(claimed.map((t) => `r${t.task.id}`));
      expect(statements).toBeGreaterThan(0);
      expect(statements).toBeLessThan(claimed.length / 2);
    });
  });

  describe('batched schedules', () => {
    /** Counts the statements that insert queued tasks several at a time while `run` runs. */
    const countingBatchInserts = <T>(run: () => Promise<T>) =>
      countingStatements((text) => text.includes('WITH ORDINALITY') && text.includes('INSERT INTO tasks'), run);

    it('writes concurrent schedules together, in fewer statements than tasks, each answered with its own task', async () => {
      await drain();
      const inputs = Array.from({ length: 20 }, (_, i) => `together ${i}`);
      const { result: answers, statements } = await countingBatchInserts(() =>
        Promise.all(inputs.map((input) => app.post('/v1/tasks', { type: summary, input: { input } }))),
      );
      expect(answers.map((a) => a.status)).toEqual(inputs.map(() => 201));
      expect(answers.map((a) => a.body.input.input)).toEqual(inputs);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(inputs.length);
      expect(statements).toBeGreaterThan(0);
      expect(statements).toBeLessThan(inputs.length / 2);
      for (const answer of answers) {
        const [row] = await fx.db.query('SELECT status, input FROM tasks WHERE id = $1', [answer.body.id]);
        expect(row).toMatchObject({ status: 'scheduled' });
        expect(await eventKinds(answer.body.id)).toEqual(['scheduled']);
      }
      // Claimed oldest first, as tasks scheduled one by one would be.
      const claimed = await claim({ max: 20 });
      expect(claimed.map((t) => t.task.id)).toEqual(answers.map((a) => a.body.id).sort((a, b) => a - b));
      const results = claimed.map((t) => ({ taskId: t.task.id, leaseId: t.leaseId, output: { output: 'done' } }));
      expect((await provider.post('/v1/work/results', { results })).status).toBe(200);
    });

    it('answers repeated and conflicting Idempotency-Keys in one batch as one request at a time would', async () => {
      await drain();
      const post = (key: string | undefined, input: string) =>
        app.request('POST', '/v1/tasks', { json: { type: summary, input: { input } }, headers: key ? { 'idempotency-key': key } : {} });
      const earlier = await post('batch-earlier', 'earlier');
      expect(earlier.status).toBe(201);
      const { result: answers, statements } = await countingBatchInserts(() =>
        Promise.all([
          post('batch-same', 'same'),
          post('batch-same', 'same'),
          post('batch-clash', 'first'),
          post('batch-clash', 'second'),
          post('batch-earlier', 'earlier'),
          post(undefined, 'free 1'),
          post(undefined, 'free 2'),
        ]),
      );
      expect(statements).toBeGreaterThan(0);
      const [same1, same2, clash1, clash2, repeat, free1, free2] = answers;
      expect([same1!.status, same2!.status]).toEqual([201, 200]);
      expect(same2!.body.id).toBe(same1!.body.id);
      expect(clash1!.status).toBe(201);
      expectProblem(clash2!, 409, 'idempotency_conflict');
      expect(repeat!.status).toBe(200);
      expect(repeat!.body.id).toBe(earlier.body.id);
      expect([free1!.status, free2!.status]).toEqual([201, 201]);
      expect(free1!.body.id).not.toBe(free2!.body.id);
      const [{ n }] = (await fx.db.query("SELECT count(*)::int AS n FROM tasks WHERE idempotency_key LIKE 'batch-%'")) as [{ n: number }];
      expect(n).toBe(3);
    });

    it('answers each task of POST /v1/tasks/batch as POST /v1/tasks would alone, storing those that pass together', async () => {
      await drain();
      const earlier = await app.request('POST', '/v1/tasks', { json: { type: summary, input: { input: 'before the batch' } }, headers: { 'idempotency-key': 'tb-earlier' } });
      expect(earlier.status).toBe(201);
      const fine = Array.from({ length: 10 }, (_, i) => ({ type: summary, input: { input: `in the batch ${i}` } }));
      const { result: res, statements } = await countingBatchInserts(() =>
        app.post('/v1/tasks/batch', {
          tasks: [
            { type: 'core:text2text:nope', input: { input: 'tb unknown type' } },
            { type: summary, input: { text: 'wrong slot' } },
            { type: summary, input: { input: 'before the batch' }, idempotencyKey: 'tb-earlier' },
            { type: summary, input: { input: 'tb first' }, idempotencyKey: 'tb-clash' },
            { type: summary, input: { input: 'tb second' }, idempotencyKey: 'tb-clash' },
            ...fine,
          ],
        }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const results = res.body.results as Array<{ status: number; task?: { id: number; input: unknown }; problem?: { code: string } }>;
      expect(results.map((r) => r.status)).toEqual([422, 422, 200, 201, 409, ...fine.map(() => 201)]);
      expect(results.map((r) => r.problem?.code)).toEqual([
        'unknown_task_type',
        'unknown_slot',
        undefined,
        undefined,
        'idempotency_conflict',
        ...fine.map(() => undefined),
      ]);
      expect(results[2]!.task!.id).toBe(earlier.body.id);
      expect(results.slice(5).map((r) => r.task!.input)).toEqual(fine.map((t) => t.input));
      expect(statements).toBeGreaterThan(0);
      expect(statements).toBeLessThan(fine.length / 2);
      const [{ n }] = (await fx.db.query("SELECT count(*)::int AS n FROM tasks WHERE input->>'input' IN ('tb unknown type', 'tb first', 'tb second') OR input ? 'text'")) as [{ n: number }];
      expect(n).toBe(1);
      await drain();
    });

    it('refuses a malformed batch whole, storing nothing', async () => {
      const before = (await fx.db.query('SELECT count(*)::int AS n FROM tasks')) as [{ n: number }];
      const task = { type: summary, input: { input: 'never stored' } };
      for (const tasks of [[], Array.from({ length: 101 }, () => task), [task, { ...task, colour: 'blue' }]]) {
        expectProblem(await app.post('/v1/tasks/batch', { tasks }), 400, 'invalid_request');
      }
      expect(await fx.db.query('SELECT count(*)::int AS n FROM tasks')).toEqual(before);
    });

    it('gives each task its own answer when the database refuses the batch: the one at fault its error', async () => {
      await drain();
      const { taskInserts } = fx.coordinator.deps;
      // Queued in one turn: one batch. A priority beyond int4 fails the whole statement.
      const { result: outcomes, statements } = await countingBatchInserts(() =>
        Promise.allSettled([taskInserts.queue(newTask('fine 1')), taskInserts.queue(newTask('too high', 2 ** 40)), taskInserts.queue(newTask('fine 2'))]),
      );
      expect(statements).toBe(1);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const rows = outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
      expect(rows.map((r) => r.input)).toEqual([{ input: 'fine 1' }, { input: 'fine 2' }]);
      const stored = await fx.db.query("SELECT input->>'input' AS input FROM tasks WHERE input->>'input' IN ('fine 1', 'too high', 'fine 2') ORDER BY id");
      expect(stored.map((r) => r.input)).toEqual(['fine 1', 'fine 2']);
      await fx.db.query("UPDATE tasks SET status = 'cancelled' WHERE input->>'input' IN ('fine 1', 'fine 2')");
    });
  });

  describe('provider sightings', () => {
    it('reach the database: a claim is written by the next flush', async () => {
      await fx.db.query("UPDATE providers SET last_seen_at = now() - interval '1 hour' WHERE id = 'llm:summary'");
      const before = new Date();
      await claim();
      // The periodic job may have flushed already; then this one finds nothing left to write.
      await fx.coordinator.deps.providers.flushSeen(fx.db);
      const [seen] = await fx.db.query("SELECT last_seen_at FROM providers WHERE id = 'llm:summary'");
      expect(new Date(seen!.last_seen_at as string).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    });
  });

  describe('a wait on a task', () => {
    it('answers with the rows the claim and the batched result committed, reading the task only once', async () => {
      await drain();
      const task = await schedule('waited on');
      // Counts the reads of one task by id (tasks/find-task.ts), the wait's only query.
      let reads = 0;
      const query = fx.db.query;
      fx.db.query = (text, params) => {
        if (text.includes('FROM tasks WHERE id = $1::bigint')) reads++;
        return query.call(fx.db, text, params);
      };
      try {
        const waiting = app.get(`/v1/tasks/${task.id}?waitSeconds=30`);
        // Its first read comes after it started watching: from here on, changes reach it.
        await expect.poll(() => reads).toBe(1);
        const [claimed] = await claim();
        const results = [{ taskId: task.id, leaseId: claimed!.leaseId, output: { output: 'waited' } }];
        const answer = await provider.post('/v1/work/results', { results }, { headers: { prefer: 'return=minimal' } });
        expect(answer.body.results).toEqual([{ taskId: task.id, status: 200, state: 'successful' }]);
        const res = await waiting;
        expect(res.body).toMatchObject({ id: task.id, status: 'successful', progress: 1, output: { output: 'waited' } });
        expect(reads).toBe(1);
      } finally {
        fx.db.query = query;
      }
    });
  });

  // PostgreSQL re-plans a prepared statement on every execution while plans made for the values
  // at hand look cheaper than its generic plan; planning the schedule's insert each time cost
  // more than running it. After the first five executions it must run on the generic plan. One
  // connection of its own, since each has its own prepared statements. PGlite prepares none.
  if (kind === 'postgres') describe('prepared statements', () => {
    it('the schedule insert is planned once, queued or handed off', async () => {
      const { insertTaskStatement } = await import('@taskproc/server');
      const { default: postgres } = await import('postgres');
      const sql = postgres(fx.database.databaseUrl!, { max: 1, onnotice: () => {} });
      try {
        for (const handoff of [undefined, { providerId: 'llm:summary', leaseMs: 60_000 }]) {
          for (let n = 0; n < 8; n++) {
            const { text, params } = insertTaskStatement(newTask(`planned ${n}`), handoff);
            await sql.unsafe(text, params as never[], { prepare: true });
          }
        }
        const plans = await sql<Array<{ handoff: boolean; generic_plans: string; custom_plans: string }>>`
          SELECT statement LIKE '%NOT EXISTS%' AS handoff, generic_plans, custom_plans
          FROM pg_prepared_statements
          WHERE statement LIKE '%INSERT INTO tasks AS t%' AND statement NOT LIKE '%pg_prepared_statements%' ORDER BY 1`;
        expect(plans.map((p) => [p.handoff, Number(p.generic_plans), Number(p.custom_plans)])).toEqual([
          [false, 3, 5],
          [true, 3, 5],
        ]);
      } finally {
        await sql.end();
        await fx.db.query("UPDATE tasks SET status = 'cancelled' WHERE input->>'input' LIKE 'planned %'");
      }
    });
  });

  // NOTIFY is for other replicas: a coordinator alone on its database sends none, and starts as
  // soon as another one says hello.
  if (kind === 'postgres') describe('notifications for replicas', () => {
    const countingNotifies = async (run: () => Promise<void>) => (await countingStatements((text) => text.includes('pg_notify'), run)).statements;
    const scheduleAndDrain = async () => {
      await schedule('heard or not');
      await drain();
    };

    it('are not sent while no other coordinator listens, and are once one says hello, until it is gone', async () => {
      const { presence } = fx.coordinator.deps.signals;
      // A connection closed just before (another test's) may still show for a moment.
      const alone = async () => (await presence.look(), !presence.othersMayListen());
      await expect.poll(alone, { interval: 20 }).toBe(true);
      expect(await countingNotifies(scheduleAndDrain)).toBe(0);

      const server = await import('@taskproc/server');
      const config = server.loadConfig({ DATA_DIR: `${fx.database.dataDir}/replica`, DATABASE_URL: fx.database.databaseUrl });
      const replicaDb = await server.createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      const replica = server.createCoordinator({ config, db: replicaDb, logger: server.createLogger('silent') });
      try {
        await replica.start();
        // Heard at once, not at the next look.
        await expect.poll(() => presence.othersMayListen(), { interval: 5 }).toBe(true);
        const heard: number[] = [];
        const unlisten = replica.deps.signals.onTaskChanged((change) => heard.push(change.taskId));
        const task = await schedule('heard by the replica');
        await expect.poll(() => heard.includes(task.id)).toBe(true);
        unlisten();
        expect(await countingNotifies(drain)).toBeGreaterThan(0);
      } finally {
        await replica.stop();
        await replicaDb.close();
      }
      await expect.poll(alone, { interval: 20 }).toBe(true);
      expect(await countingNotifies(scheduleAndDrain)).toBe(0);
    });

    it('are sent when another connection may be a coordinator from before the names (a rolling upgrade)', async () => {
      const { presence } = fx.coordinator.deps.signals;
      const { default: postgres } = await import('postgres');
      // postgres.js's own default name, as coordinators of earlier versions connect.
      const older = postgres(fx.database.databaseUrl!, { max: 1, onnotice: () => {} });
      try {
        await older`LISTEN taskproc_work`;
        await presence.look();
        expect(presence.othersMayListen()).toBe(true);
        expect(await countingNotifies(scheduleAndDrain)).toBeGreaterThan(0);
      } finally {
        await older.end();
      }
      await expect.poll(async () => (await presence.look(), presence.othersMayListen()), { interval: 20 }).toBe(false);
    });
  });

  describe('the claim at 100,000 queued', () => {
    interface PlanNode {
      'Node Type': string;
      'Relation Name'?: string;
      'Index Name'?: string;
      Plans?: PlanNode[];
    }
    const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
    const plan = async (text: string, params: unknown[]) => {
      const [row] = await fx.db.query(`EXPLAIN (FORMAT JSON) ${text}`, params);
      const json = row!['QUERY PLAN'];
      const [top] = (typeof json === 'string' ? JSON.parse(json) : json) as Array<{ Plan: PlanNode }>;
      return nodesOf(top!.Plan);
    };
    const claimParams = (types: unknown[]) => [...types, 10, new Date().toISOString(), 60_000, new Date().toISOString()];
    const readsOfTasks = (nodes: PlanNode[]) => nodes.filter((n) => n['Relation Name'] === 'tasks' && /Scan/.test(n['Node Type']));

    it('reads tasks_claim_idx in order: no sort of the queue, no sequential scan', async () => {
      await drain();
      await fx.db.query(
        `INSERT INTO tasks (type, status, app_id, input, priority, max_attempts, scheduled_at, last_updated)
         SELECT $1, 'scheduled', 'mail', '{"input":"x"}', (g % 3) - 1, 3, now(), now() FROM generate_series(1, 100000) g`,
        [summary],
      );
      await fx.db.query('ANALYZE tasks');
      const { claimOneTypeSql, claimTypesSql } = await import('@taskproc/server');
      // One type: the index walk is the claim order, so nothing is sorted at all.
      const one = await plan(claimOneTypeSql, claimParams([summary, 'llm:summary']));
      expect(readsOfTasks(one).map((n) => n['Index Name'])).toContain('tasks_claim_idx');
      expect(readsOfTasks(one).map((n) => n['Node Type'])).not.toContain('Seq Scan');
      expect(one.map((n) => n['Node Type'])).not.toContain('Sort');
      // Several types: a bounded index walk per type; the one sort is of those few candidates,
      // above the walks, never of the queue.
      const several = await plan(claimTypesSql, claimParams([[summary, 'core:text2text:headline'], ['llm:summary', 'llm:summary']]));
      expect(readsOfTasks(several).map((n) => n['Index Name'])).toContain('tasks_claim_idx');
      expect(readsOfTasks(several).map((n) => n['Node Type'])).not.toContain('Seq Scan');
      for (const sort of several.filter((n) => n['Node Type'] === 'Sort')) {
        expect(nodesOf(sort).filter((n) => n['Node Type'] === 'Limit').length, 'a sort above the per-type limits').toBeGreaterThan(0);
      }
      await fx.db.query("DELETE FROM tasks WHERE status = 'scheduled'");
    }, 120_000);
  });
});
