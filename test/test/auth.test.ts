import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  spawnTsProcess,
  useCoordinator,
  type Http,
  type SpawnedProcess,
  type TestDatabase,
} from '../src/index.ts';

const summaryDescriptor = { name: 'Summary', taskType: 'core:text2text:summary' };

describeEachDatabase('auth', (kind) => {
  describe('tokens and roles', () => {
    const fx = useCoordinator(kind);
    let anonymous: Http;
    let mailApp: Http;
    let acmeProvider: Http;
    let otherProvider: Http;

    beforeAll(async () => {
      anonymous = createHttp(fx.coordinator.url);
      const token = async (role: string, appId: string) =>
        anonymous.withToken((await fx.admin.post('/v1/admin/tokens', { role, appId, name: `${appId} ${role}` })).body.token);
      mailApp = await token('app', 'mail');
      acmeProvider = await token('provider', 'acme');
      otherProvider = await token('provider', 'other');
    });

    it('answers 401 without a token, with a malformed header and with an unknown token', async () => {
      const none = await anonymous.get('/v1/providers');
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('unauthorized');
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const basic = await anonymous.get('/v1/providers', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect(basic.status).toBe(401);
      const wrong = await anonymous.withToken('tp_not_a_token_anyone_was_given').get('/v1/providers');
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('answers 401 for a token once it is revoked', async () => {
      const created = await fx.admin.post('/v1/admin/tokens', { role: 'provider', appId: 'acme', name: 'to revoke' });
      const user = anonymous.withToken(created.body.token);
      expect((await user.get('/v1/providers')).status).toBe(200);
      expect((await fx.admin.delete(`/v1/admin/tokens/${created.body.id}`)).status).toBe(204);
      const after = await user.get('/v1/providers');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('unauthorized');
    });

    it('refuses admin routes to app and provider tokens (403)', async () => {
      for (const http of [mailApp, acmeProvider]) {
        expect((await http.get('/v1/admin/tokens')).status).toBe(403);
        const create = await http.post('/v1/admin/tokens', { role: 'admin', name: 'escalate' });
        expect(create.status).toBe(403);
        expect(create.body.code).toBe('forbidden');
        expect((await http.delete('/v1/admin/tokens/1')).status).toBe(403);
        expect((await http.put('/v1/admin/task-types/core:text2text', { enabled: false })).status).toBe(403);
      }
      const tokens = (await fx.admin.get('/v1/admin/tokens')).body.tokens;
      expect(tokens.some((t: any) => t.name === 'escalate')).toBe(false);
    });

    it('refuses client routes to provider tokens (403) and provider registration to app tokens (403)', async () => {
      expect((await acmeProvider.get('/v1/task-types')).status).toBe(403);
      expect((await acmeProvider.get('/v1/tasks')).status).toBe(403);
      expect((await mailApp.put('/v1/providers/mail:summary', summaryDescriptor)).status).toBe(403);
      expect((await mailApp.delete('/v1/providers/mail:summary')).status).toBe(403);
    });

    it('keeps a provider id to its app: another app\'s token gets 409 on register and 404 on delete', async () => {
      expect((await acmeProvider.put('/v1/providers/acme:owned', summaryDescriptor)).status).toBe(201);
      const register = await otherProvider.put('/v1/providers/acme:owned', summaryDescriptor);
      expect(register.status).toBe(409);
      expect(register.body.code).toBe('provider_conflict');
      const remove = await otherProvider.delete('/v1/providers/acme:owned');
      expect(remove.status).toBe(404);
      const stillThere = (await fx.admin.get('/v1/providers')).body.providers.find((p: any) => p.id === 'acme:owned');
      expect(stillThere).toMatchObject({ appId: 'acme' });
    });

    it('records when a token was last used', async () => {
      const created = await fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'used once' });
      await anonymous.withToken(created.body.token).get('/v1/task-types');
      const listed = (await fx.admin.get('/v1/admin/tokens')).body.tokens.find((t: any) => t.id === created.body.id);
      expect(listed.lastUsedAt).toEqual(expect.any(String));
    });
  });

  describe('bootstrap admin token', () => {
    let db: TestDatabase;
    let running: SpawnedProcess | undefined;

    /** Starts main.ts without TASKPROC_ADMIN_TOKEN, as an operator's first `npm start` would. */
    async function startPlain(): Promise<{ url: string; output: () => string }> {
      running = spawnTsProcess('server/src/main.ts', {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: db.dataDir,
        LOG_LEVEL: 'warn',
        ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
      });
      const match = await running.waitForLine(/taskproc listening on (http:\/\/\S+)/);
      return { url: match[1]!, output: running.output };
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await running?.stop();
      await db?.destroy();
    });

    it('prints an admin token once on the first start, and not on the next', async () => {
      const first = await startPlain();
      expect(first.output()).toContain('First start');
      const printed = first.output().match(/^ {2}(tp_\S+)$/gm) ?? [];
      expect(printed).toHaveLength(1);
      const secret = printed[0]!.trim();
      const admin = createHttp(first.url, secret);
      const tokens = await admin.get('/v1/admin/tokens');
      expect(tokens.status).toBe(200);
      expect(tokens.body.tokens).toHaveLength(1);
      expect(tokens.body.tokens[0]).toMatchObject({ role: 'admin', name: 'bootstrap admin' });
      await running!.stop();

      const second = await startPlain();
      expect(second.output()).not.toContain('First start');
      expect(second.output()).not.toMatch(/tp_\S{20,}/);
      const again = await createHttp(second.url, secret).get('/v1/admin/tokens');
      expect(again.status).toBe(200);
      expect(again.body.tokens).toHaveLength(1);
    });
  });
});
