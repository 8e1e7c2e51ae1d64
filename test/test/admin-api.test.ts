import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, useCoordinator, type Http } from '../src/index.ts';

const summary = 'core:text2text:summary';

describeEachDatabase('admin API', (kind) => {
  const fx = useCoordinator(kind);


  describe('tokens', () => {
    it('creates a token whose secret is shown once and works at once', async () => {
      const res = await fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'mail app' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'app', appId: 'mail', name: 'mail app', revokedAt: null, lastUsedAt: null });
      expect(res.body.token).toMatch(/^tp_[\w-]{40,}$/);
      expect((await fx.admin.withToken(res.body.token).get('/v1/task-types')).status).toBe(200);
    });

    it('lists tokens newest first without secrets or hashes', async () => {
      const created = await fx.admin.post('/v1/admin/tokens', { role: 'provider', appId: 'acme', name: 'listed' });
      const res = await fx.admin.get('/v1/admin/tokens');
      expect(res.status).toBe(200);
      const first = res.body.tokens[0];
      expect(first).toMatchObject({ id: created.body.id, name: 'listed', role: 'provider', appId: 'acme' });
      expect(Object.keys(first).sort()).toEqual(['appId', 'createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role']);
      expect(JSON.stringify(res.body)).not.toContain(created.body.token);
      // The seeded admin token (TASKPROC_ADMIN_TOKEN) is listed too, with its use recorded.
      const seeded = res.body.tokens.find((t: any) => t.role === 'admin');
      expect(seeded).toMatchObject({ appId: null, revokedAt: null });
      expect(seeded.lastUsedAt).toEqual(expect.any(String));
    });

    it('creates admin tokens without an app id and refuses app tokens without one (400 naming appId)', async () => {
      const adminToken = await fx.admin.post('/v1/admin/tokens', { role: 'admin', name: 'second admin' });
      expect(adminToken.status).toBe(201);
      expect(adminToken.body.appId).toBeNull();
      const noApp = await fx.admin.post('/v1/admin/tokens', { role: 'app', name: 'no app' });
      expect(noApp.status).toBe(400);
      expect(noApp.body).toMatchObject({ code: 'invalid_request', field: 'json.appId' });
      const badRole = await fx.admin.post('/v1/admin/tokens', { role: 'root', appId: 'x', name: 'bad' });
      expect(badRole.status).toBe(400);
      expect(badRole.body.field).toBe('json.role');
    });

    it('revokes a token (204): it stops working and is listed as revoked; a second revoke is 404', async () => {
      const created = await fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'short-lived' });
      const user = fx.admin.withToken(created.body.token);
      expect((await user.get('/v1/task-types')).status).toBe(200);
      expect((await fx.admin.delete(`/v1/admin/tokens/${created.body.id}`)).status).toBe(204);
      const after = await user.get('/v1/task-types');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('unauthorized');
      const listed = (await fx.admin.get('/v1/admin/tokens')).body.tokens.find((t: any) => t.id === created.body.id);
      expect(listed.revokedAt).toEqual(expect.any(String));
      expect((await fx.admin.delete(`/v1/admin/tokens/${created.body.id}`)).status).toBe(404);
    });

    it('answers 404 for an unknown token id and 400 for a malformed one', async () => {
      expect((await fx.admin.delete('/v1/admin/tokens/999999')).status).toBe(404);
      const bad = await fx.admin.delete('/v1/admin/tokens/abc');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'invalid_request', field: 'param.id' });
    });
  });

  describe('task type settings', () => {
    let provider: Http;
    let app: Http;
    beforeAll(async () => {
      const p = await fx.admin.post('/v1/admin/tokens', { role: 'provider', appId: 'acme', name: 'settings provider' });
      const a = await fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'settings app' });
      provider = fx.admin.withToken(p.body.token);
      app = fx.admin.withToken(a.body.token);
      for (const id of ['acme:first', 'acme:second', 'acme:third']) {
        expect((await provider.put(`/v1/providers/${id}`, { name: id, taskType: summary })).status).toBe(201);
      }
      expect((await provider.put('/v1/providers/acme:headline', { name: 'h', taskType: 'core:text2text:headline' })).status).toBe(201);
    });

    it('reads defaults for a type never configured', async () => {
      const res = await fx.admin.get(`/v1/admin/task-types/${summary}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ enabled: true, preferredProviders: [] });
    });

    it('stores settings, which reorder the type\'s providers and can disable it', async () => {
      const put = await fx.admin.put(`/v1/admin/task-types/${summary}`, {
        enabled: false,
        preferredProviders: ['acme:third', 'acme:second'],
      });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ enabled: false, preferredProviders: ['acme:third', 'acme:second'] });
      expect((await fx.admin.get(`/v1/admin/task-types/${summary}`)).body).toEqual(put.body);
      const listed = (await app.get('/v1/task-types')).body.types.find((t: any) => t.id === summary);
      expect(listed).toMatchObject({
        enabled: false,
        providerId: 'acme:third',
        providerIds: ['acme:third', 'acme:second', 'acme:first'],
      });
      const reset = await fx.admin.put(`/v1/admin/task-types/${summary}`, {});
      expect(reset.body).toEqual({ enabled: true, preferredProviders: [] });
    });

    it('refuses unknown types (422 unknown_task_type)', async () => {
      for (const res of [
        await fx.admin.get('/v1/admin/task-types/acme:unknown'),
        await fx.admin.put('/v1/admin/task-types/acme:unknown', { enabled: false }),
      ]) {
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('unknown_task_type');
      }
    });

    it('refuses preferred providers that are unknown, of another type, or listed twice, naming the entry', async () => {
      const unknown = await fx.admin.put(`/v1/admin/task-types/${summary}`, { preferredProviders: ['acme:first', 'acme:ghost'] });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'unknown_provider', field: 'json.preferredProviders.1' });
      const otherType = await fx.admin.put(`/v1/admin/task-types/${summary}`, { preferredProviders: ['acme:headline'] });
      expect(otherType.status).toBe(422);
      expect(otherType.body).toMatchObject({ code: 'unknown_provider', field: 'json.preferredProviders.0' });
      const twice = await fx.admin.put(`/v1/admin/task-types/${summary}`, { preferredProviders: ['acme:first', 'acme:first'] });
      expect(twice.status).toBe(400);
      expect(twice.body).toMatchObject({ code: 'invalid_request', field: 'json.preferredProviders.1' });
      expect((await fx.admin.get(`/v1/admin/task-types/${summary}`)).body.preferredProviders).toEqual([]);
    });

    it('is admin-only', async () => {
      expect((await provider.get(`/v1/admin/task-types/${summary}`)).status).toBe(403);
      expect((await app.put(`/v1/admin/task-types/${summary}`, { enabled: false })).status).toBe(403);
    });
  });
});
