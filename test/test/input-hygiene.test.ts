import { beforeAll, describe, expect, it } from 'vitest';
import {
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  useInProcessCoordinator,
  type Http,
  type TestResponse,
} from '../src/index.ts';

// Input PostgreSQL cannot store (NUL, unpaired surrogates, integers past int4) and keys every
// object "has" (constructor, toString, a literal "__proto__"): each used to reach the database
// and come back as a 500, or to vanish silently. Now each is refused with a 4xx naming the field
// or the slot, nothing is written, and a provider's output of that kind fails its task.

const summary = 'core:text2text:summary';
const nul = 'a\u0000b';
const loneSurrogate = 'a\uD800b';
const pastInt4 = 2_147_483_648;

/** A slot named like an Object.prototype member, so reads that are not own-property reads show. */
const protoNamedType = {
  id: 'acme:protonamed',
  name: 'Prototype-named slots',
  description: 'Its slots are called like members of Object.prototype',
  inputShape: { constructor: { name: 'c', description: '', type: 'Text' } },
  outputShape: { toString: { name: 't', description: '', type: 'Text' } },
};

describeEachDatabase('input hygiene', (kind) => {
  const fx = useInProcessCoordinator(kind);
  let mail: Http;
  let llm: Http;

  beforeAll(async () => {
    mail = await tokenClient(fx.admin, 'app', 'mail');
    llm = await tokenClient(fx.admin, 'provider', 'llm');
    await registerProvider(llm, 'llm:summary', { name: 'Summary', taskType: summary });
    await registerProvider(llm, 'llm:audio', { name: 'Audio', taskType: 'core:audio2text' });
    await registerProvider(llm, 'llm:proto', { name: 'Proto', taskType: protoNamedType.id, customTaskType: protoNamedType });
  });

  const countTasks = async () => Number((await fx.db.query('SELECT count(*) AS n FROM tasks'))[0]!.n);
  /** Sends a request that must be refused, and proves it wrote no task. */
  const refused = async (send: () => Promise<TestResponse>) => {
    const before = await countTasks();
    const res = await send();
    expect(await countTasks()).toBe(before);
    return res;
  };
  /** A raw JSON body, for keys JSON.stringify cannot write from an object literal ("__proto__"). */
  const rawPost = (client: Http, path: string, body: string) =>
    client.request('POST', path, { body, headers: { 'content-type': 'application/json' } });

  describe('scheduling', () => {
    it('refuses NUL and unpaired surrogates in Text and ListOfTexts slots (422, naming the slot)', async () => {
      for (const text of [nul, loneSurrogate, '\uDC00']) {
        const res = await refused(() => mail.post('/v1/tasks', { type: summary, input: { input: text } }));
        expectProblem(res, 422, 'invalid_slot_value', { slot: 'input' });
      }
      // A surrogate pair is one character (an emoji), not an unpaired half.
      expect((await mail.post('/v1/tasks', { type: summary, input: { input: 'ok \uD83D\uDE00' } })).status).toBe(201);
    });

    it('refuses NUL in customId, userId and webhookUri (400, naming the field)', async () => {
      for (const field of ['customId', 'userId']) {
        for (const text of [nul, loneSurrogate]) {
          const res = await refused(() => mail.post('/v1/tasks', { type: summary, input: { input: 'x' }, [field]: text }));
          expectProblem(res, 400, 'invalid_request', { field: `json.${field}` });
        }
      }
      const uri = await refused(() =>
        mail.post('/v1/tasks', { type: summary, input: { input: 'x' }, webhookUri: `http://127.0.0.1/${nul}` }),
      );
      expectProblem(uri, 400, 'invalid_request', { field: 'json.webhookUri' });
    });

    it('refuses a file id past int4 in a file slot (422), and a file id in range that does not exist as missing', async () => {
      const res = await refused(() => mail.post('/v1/tasks', { type: 'core:audio2text', input: { input: pastInt4 } }));
      expectProblem(res, 422, 'invalid_slot_value', { slot: 'input' });
      const missing = await refused(() => mail.post('/v1/tasks', { type: 'core:audio2text', input: { input: 2_147_483_647 } }));
      expectProblem(missing, 422, 'file_not_found', { slot: 'input' });
    });

    it('refuses constructor, toString and a literal "__proto__" key as unknown slots', async () => {
      for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
        const res = await refused(() => mail.post('/v1/tasks', { type: summary, input: { input: 'x', [key]: 'y' } }));
        expectProblem(res, 422, 'unknown_slot', { slot: key });
      }
      for (const proto of ['"y"', '{"input":"z"}']) {
        const body = `{"type":"${summary}","input":{"input":"x","__proto__":${proto}}}`;
        expectProblem(await refused(() => rawPost(mail, '/v1/tasks', body)), 422, 'unknown_slot', { slot: '__proto__' });
      }
      // Nor does "__proto__" smuggle a value in for a slot that was left out.
      const smuggled = `{"type":"${summary}","input":{"__proto__":{"input":"from the prototype"}}}`;
      expectProblem(await refused(() => rawPost(mail, '/v1/tasks', smuggled)), 422, 'unknown_slot', { slot: '__proto__' });
    });

    it('takes a declared slot called "constructor" for what it is: missing when not given, stored when given', async () => {
      const missing = await refused(() => mail.post('/v1/tasks', { type: protoNamedType.id, input: {} }));
      expectProblem(missing, 422, 'missing_slot', { slot: 'constructor' });
      const res = await mail.post('/v1/tasks', { type: protoNamedType.id, input: { constructor: 'given' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.input).toEqual({ constructor: 'given' });
    });
  });

  describe('queries and paths', () => {
    it('refuses NUL in the task listing\'s filters (400, naming the query field)', async () => {
      for (const field of ['customId', 'userId', 'appId']) {
        const res = await mail.get(`/v1/tasks?${field}=${encodeURIComponent(nul)}`);
        expectProblem(res, 400, 'invalid_request', { field: `query.${field}` });
      }
      expectProblem(await mail.get(`/v1/events?customId=${encodeURIComponent(nul)}`), 400, 'invalid_request', {
        field: 'query.customId',
      });
      expectProblem(await mail.get(`/v1/events?taskId=${pastInt4}`), 400, 'invalid_request', { field: 'query.taskId' });
    });

    it('refuses ids past int4 in paths (400, naming the param), as the token route always did', async () => {
      const lease = '00000000-0000-4000-8000-000000000000';
      const sent: Array<[Http, string, string, string?]> = [
        [mail, 'GET', `/v1/tasks/${pastInt4}`],
        [mail, 'POST', `/v1/tasks/${pastInt4}/cancel`],
        [mail, 'DELETE', `/v1/tasks/${pastInt4}`],
        [mail, 'GET', `/v1/tasks/${pastInt4}/webhook-deliveries`],
        [mail, 'GET', `/v1/files/${pastInt4}`],
        [mail, 'GET', `/v1/files/${pastInt4}/info`],
        [llm, 'POST', `/v1/work/${pastInt4}/progress`, JSON.stringify({ leaseId: lease })],
        [llm, 'GET', `/v1/work/1/files/${pastInt4}?leaseId=${lease}`],
        [fx.admin, 'DELETE', `/v1/admin/tokens/${pastInt4}`],
      ];
      for (const [client, method, path, body] of sent) {
        const res = await client.request(method, path, body ? { body, headers: { 'content-type': 'application/json' } } : {});
        expectProblem(res, 400, 'invalid_request');
        expect(res.body.field, `${method} ${path}`).toMatch(/^param\./);
      }
    });

    it('refuses a file name that is not well-formed text', async () => {
      const res = await mail.request('POST', `/v1/files?name=${encodeURIComponent(nul)}`, { body: 'bytes' });
      expectProblem(res, 400, 'invalid_request', { field: 'query.name' });
    });
  });

  describe('registration and tokens', () => {
    const put = (descriptor: Record<string, unknown>) => llm.put('/v1/providers/llm:hygiene', { taskType: summary, ...descriptor });

    it('refuses NUL in names, descriptions, enum values and defaults (400, naming the field)', async () => {
      expectProblem(await put({ name: nul }), 400, 'invalid_request', { field: 'json.name' });
      expectProblem(await put({ name: 'n', inputShapeDefaults: { input: loneSurrogate } }), 400, 'invalid_request', {
        field: 'json.inputShapeDefaults.input',
      });
      expectProblem(
        await put({ name: 'n', optionalInputShape: { tone: { name: 'Tone', description: nul, type: 'Enum' } } }),
        400,
        'invalid_request',
        { field: 'json.optionalInputShape.tone.description' },
      );
      expectProblem(
        await put({
          name: 'n',
          optionalInputShape: { tone: { name: 'Tone', description: '', type: 'Enum' } },
          optionalInputShapeEnumValues: { tone: [{ name: 'x', value: nul }] },
        }),
        400,
        'invalid_request',
        { field: 'json.optionalInputShapeEnumValues.tone.0.value' },
      );
      expectProblem(await fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'x', name: nul }), 400, 'invalid_request', {
        field: 'json.name',
      });
    });

    it('refuses a literal "__proto__" key in optional slots, defaults and enum values', async () => {
      for (const field of ['optionalInputShape', 'inputShapeDefaults', 'optionalOutputShapeEnumValues']) {
        const body = `{"name":"n","taskType":"${summary}","${field}":{"__proto__":{}}}`;
        const res = await llm.request('PUT', '/v1/providers/llm:hygiene', { body, headers: { 'content-type': 'application/json' } });
        expectProblem(res, 400, 'invalid_request', { field: `json.${field}.__proto__` });
      }
    });

    it('refuses defaults and enum values for a "constructor" slot the type does not have', async () => {
      expectProblem(await put({ name: 'n', inputShapeDefaults: { constructor: 'x' } }), 422, 'invalid_provider', {
        slot: 'constructor',
      });
      expectProblem(
        await put({ name: 'n', inputShapeEnumValues: { toString: [{ name: 'a', value: 'a' }] } }),
        422,
        'invalid_provider',
        { slot: 'toString' },
      );
      // An optional slot called "constructor" shadows nothing: every shape "has" one, none declares it.
      const optional = { constructor: { name: 'c', description: '', type: 'Text' } };
      const res = await put({ name: 'n', optionalInputShape: optional, optionalInputShapeDefaults: { constructor: 'd' } });
      expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
      expect((await llm.delete('/v1/providers/llm:hygiene')).status).toBe(204);
    });
  });

  describe('results', () => {
    /** A running task of `type` and its lease, claimed for `providerId` (ahead of what earlier tests queued). */
    const claimOne = async (type: string, providerId: string, input: Record<string, unknown>) => {
      const task = await mail.post('/v1/tasks', { type, input, priority: 1000 });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      const res = await llm.post('/v1/work/next', { providerIds: [providerId], max: 1 });
      const claimed = res.body.tasks.find((t: any) => t.task.id === task.body.id);
      expect(claimed, JSON.stringify(res.body)).toBeDefined();
      return { taskId: task.body.id as number, leaseId: claimed.leaseId as string };
    };
    const taskRow = async (id: number) =>
      (await fx.db.query('SELECT status, output, error_message FROM tasks WHERE id = $1', [id]))[0]!;

    it('fails the task when the output has NUL or an unpaired surrogate in a Text slot (422 invalid_output, naming the slot)', async () => {
      for (const text of [nul, loneSurrogate]) {
        const { taskId, leaseId } = await claimOne(summary, 'llm:summary', { input: 'x' });
        const res = await llm.post(`/v1/work/${taskId}/result`, { leaseId, output: { output: text } });
        expectProblem(res, 422, 'invalid_output', { slot: 'output' });
        expect(await taskRow(taskId)).toMatchObject({ status: 'failed', output: null });
      }
    });

    it('fails the task when an output key is NUL, "__proto__" or "toString", and stores the error readably', async () => {
      const { taskId, leaseId } = await claimOne(summary, 'llm:summary', { input: 'x' });
      const res = await llm.post(`/v1/work/${taskId}/result`, { leaseId, output: { output: 'ok', [nul]: 1 } });
      expectProblem(res, 422, 'invalid_output', { slot: nul });
      const row = await taskRow(taskId);
      expect(row.status).toBe('failed');
      expect(row.error_message).toContain('"a\\u0000b"');

      const proto = await claimOne(summary, 'llm:summary', { input: 'x' });
      const body = `{"leaseId":"${proto.leaseId}","output":{"output":"ok","__proto__":"x"}}`;
      expectProblem(await rawPost(llm, `/v1/work/${proto.taskId}/result`, body), 422, 'invalid_output', { slot: '__proto__' });
      expect((await taskRow(proto.taskId)).status).toBe('failed');

      // The prototype-named type declares "toString" as its output slot: there it is the slot.
      const named = await claimOne(protoNamedType.id, 'llm:proto', { constructor: 'c' });
      const done = await llm.post(`/v1/work/${named.taskId}/result`, { leaseId: named.leaseId, output: { toString: 'ok' } });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.task.output).toEqual({ toString: 'ok' });
    });

    it('refuses an error message with NUL (400) and leaves the task running', async () => {
      const { taskId, leaseId } = await claimOne(summary, 'llm:summary', { input: 'x' });
      const res = await llm.post(`/v1/work/${taskId}/result`, { leaseId, error: { message: nul } });
      expectProblem(res, 400, 'invalid_request', { field: 'json.error.message' });
      const batch = await llm.post('/v1/work/results', { results: [{ taskId: pastInt4, leaseId, error: { message: 'm' } }] });
      expectProblem(batch, 400, 'invalid_request', { field: 'json.results.0.taskId' });
      expect((await taskRow(taskId)).status).toBe('running');
      expect((await llm.post(`/v1/work/${taskId}/result`, { leaseId, error: { message: 'fine' } })).status).toBe(200);
    });
  });
});
