import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, expectProblem, useCoordinator } from '../src/index.ts';
import { allTaskIds } from './task-test-setup.ts';
import { createTaskDriver, type TaskDriver } from './events-task-driver.ts';

// Webhook targets checked at scheduling. Every address here is refused before any connection
// is made, or (with private targets allowed) the task is deleted before it could end: no test
// sends traffic anywhere but loopback.

const forbiddenTargets = [
  'http://10.0.0.1/hook',
  'http://192.168.1.5/x',
  'https://172.20.0.3/x',
  'http://169.254.169.254/latest/meta-data',
  'http://100.64.1.1/x',
  'http://127.0.0.1:8080/x',
  'http://0.0.0.0/x',
  'http://[::1]/x',
  'http://[fd00::5]/x',
  'http://[::ffff:10.0.0.1]/x',
  'http://localhost/x',
];

describeEachDatabase('webhook targets', (kind) => {
  const fx = useCoordinator(kind);
  let t: TaskDriver;

  beforeAll(async () => {
    t = await createTaskDriver(fx.admin, { appId: 'hooks', providerApp: 'llm', providerId: 'llm:summary' });
  });

  it.each(forbiddenTargets)('refuses %s at scheduling (422 naming webhookUri) and writes nothing', async (webhookUri) => {
    const before = await allTaskIds(fx.admin);
    const res = await t.app.post('/v1/tasks', { type: 'core:text2text:summary', input: { input: 'x' }, webhookUri });
    expectProblem(res, 422, 'webhook_target_forbidden', { field: 'json.webhookUri' });
    expect(res.body.detail).toMatch(/private or loopback address/);
    expect(await allTaskIds(fx.admin)).toEqual(before);
  });

  it('checks the input before the webhook target', async () => {
    const res = await t.app.post('/v1/tasks', { type: 'core:text2text:summary', input: {}, webhookUri: 'http://10.0.0.1/hook' });
    expectProblem(res, 422, 'missing_slot', { slot: 'input' });
  });

  it('refuses URIs that are not http(s) with 400', async () => {
    const res = await t.app.post('/v1/tasks', { type: 'core:text2text:summary', input: { input: 'x' }, webhookUri: 'ftp://10.0.0.1/x' });
    expectProblem(res, 400, 'invalid_request', { field: 'json.webhookUri' });
  });
});

describeEachDatabase('webhook targets, private allowed', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_WEBHOOK_ALLOW_PRIVATE: 'true' });
  let t: TaskDriver;

  beforeAll(async () => {
    t = await createTaskDriver(fx.admin, { appId: 'hooks', providerApp: 'llm', providerId: 'llm:summary' });
  });

  it('accepts private targets when the operator allows them', async () => {
    for (const webhookUri of ['http://10.0.0.1/hook', 'http://192.168.1.5/x']) {
      const task = await t.schedule({ webhookUri });
      expect(task).toMatchObject({ status: 'scheduled', webhookUri });
      // Deleted before it can end, so its webhook is never called.
      expect((await t.app.delete(`/v1/tasks/${task.id}`)).status).toBe(204);
    }
  });
});
