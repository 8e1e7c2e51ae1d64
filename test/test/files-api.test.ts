import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, expectProblem, tokenClient, useCoordinator, type Http } from '../src/index.ts';

const maxFileBytes = 64 * 1024;

describeEachDatabase('files API', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_MAX_FILE_BYTES: String(maxFileBytes) });
  let mail: Http;
  let other: Http;
  let mailToken: string;

  beforeAll(async () => {
    const res = await fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'mail' });
    mailToken = res.body.token;
    mail = fx.admin.withToken(mailToken);
    other = await tokenClient(fx.admin, 'app', 'other');
  });

  /** Downloads raw bytes (the JSON helper would decode them as text). */
  const download = async (id: number, token = mailToken) => {
    const res = await fetch(`${fx.coordinator.url}/v1/files/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  const upload = (as: Http, body: string | Uint8Array, headers: Record<string, string> = {}, query = '') =>
    as.request('POST', `/v1/files${query}`, { body, headers });

  describe('POST /v1/files', () => {
    it('stores the raw body (201) with its name, type, size and SHA-256', async () => {
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const res = await upload(mail, bytes, { 'content-type': 'image/png', 'X-File-Name': 'photo.png' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers.get('location')).toBe(`/v1/files/${res.body.id}`);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'photo.png',
        mimeType: 'image/png',
        size: 256,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        createdAt: expect.any(String),
        taskId: null,
      });
    });

    it('takes the name from the query when there is no header, else calls it "upload"', async () => {
      const named = await upload(mail, 'x', { 'content-type': 'text/plain' }, '?name=notes.txt');
      expect(named.body.name).toBe('notes.txt');
      const unnamed = await upload(mail, 'x', { 'content-type': 'text/plain' });
      expect(unnamed.body.name).toBe('upload');
    });

    it('defaults the type to application/octet-stream', async () => {
      const res = await upload(mail, new Uint8Array([1, 2, 3]));
      expect(res.status).toBe(201);
      expect(res.body.mimeType).toBe('application/octet-stream');
    });

    it('decodes a percent-encoded non-ASCII name', async () => {
      const res = await upload(mail, 'x', { 'X-File-Name': encodeURIComponent('Grüße 📎.txt') });
      expect(res.body.name).toBe('Grüße 📎.txt');
    });

    it('refuses an empty body, a bad name and a bad content type (400)', async () => {
      expectProblem(await upload(mail, ''), 400, 'invalid_request', { field: 'body' });
      expectProblem(await upload(mail, 'x', {}, `?name=${'n'.repeat(256)}`), 400, 'invalid_request', { field: 'query.name' });
      expectProblem(await upload(mail, 'x', { 'X-File-Name': '%0Aevil' }), 400, 'invalid_request', { field: 'header.X-File-Name' });
      expectProblem(await upload(mail, 'x', { 'content-type': 'not a type' }), 400, 'invalid_request', {
        field: 'header.content-type',
      });
    });

    it('refuses a file over TASKPROC_MAX_FILE_BYTES (413)', async () => {
      expectProblem(await upload(mail, new Uint8Array(maxFileBytes + 1)), 413, 'payload_too_large');
      expect((await upload(mail, new Uint8Array(maxFileBytes))).status).toBe(201);
    });
  });

  describe('GET /v1/files/{id}', () => {
    it('answers the exact bytes with their type, length and name', async () => {
      const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
      const stored = await upload(mail, bytes, { 'content-type': 'audio/ogg', 'X-File-Name': encodeURIComponent('Lied "eins".ogg') });
      const { res, bytes: got } = await download(stored.body.id);
      expect(res.status).toBe(200);
      expect(got).toEqual(bytes);
      expect(res.headers.get('content-type')).toBe('audio/ogg');
      expect(res.headers.get('content-length')).toBe('1000');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="Lied _eins_.ogg"; filename*=UTF-8\'\'Lied%20%22eins%22.ogg',
      );
    });

    it('answers another app\'s file like a missing one (404); the admin may read it', async () => {
      const stored = await upload(mail, 'private', { 'content-type': 'text/plain' });
      expectProblem(await other.get(`/v1/files/${stored.body.id}`), 404, 'not_found');
      expectProblem(await other.get(`/v1/files/${stored.body.id}/info`), 404, 'not_found');
      expectProblem(await other.get('/v1/files/999999'), 404, 'not_found');
      const asAdmin = await download(stored.body.id, fx.coordinator.adminToken);
      expect(new TextDecoder().decode(asAdmin.bytes)).toBe('private');
    });

    it('answers the metadata at /info', async () => {
      const stored = await upload(mail, 'meta', { 'content-type': 'text/plain', 'X-File-Name': 'm.txt' });
      const info = await mail.get(`/v1/files/${stored.body.id}/info`);
      expect(info.status).toBe(200);
      expect(info.body).toEqual(stored.body);
    });

    it('refuses an id that is not a positive integer (400)', async () => {
      expectProblem(await mail.get('/v1/files/x'), 400, 'invalid_request');
    });
  });

  it('lets the admin upload, as app id "admin"', async () => {
    const stored = await upload(fx.admin, 'admin bytes', { 'content-type': 'text/plain' });
    expect(stored.status).toBe(201);
    expectProblem(await mail.get(`/v1/files/${stored.body.id}/info`), 404, 'not_found');
  });
});
