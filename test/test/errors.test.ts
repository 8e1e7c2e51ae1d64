import { expect, it } from 'vitest';
import { errorCatalogue } from '@taskproc/spec';
import { createHttp, describeEachDatabase, useCoordinator, type TestResponse } from '../src/index.ts';

const maxBodyBytes = 2048;

/** Every error is RFC 9457 problem+json with the catalogue's status and title, and the request id. */
function expectProblem(res: TestResponse, code: keyof typeof errorCatalogue): void {
  expect(res.status, JSON.stringify(res.body)).toBe(errorCatalogue[code].status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body).toMatchObject({
    type: `urn:taskproc:problem:${code}`,
    title: errorCatalogue[code].title,
    status: errorCatalogue[code].status,
    code,
    detail: expect.any(String),
  });
  expect(res.body.requestId).toMatch(/^[\w.-]+$/);
}

describeEachDatabase('error responses', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_MAX_BODY_BYTES: String(maxBodyBytes) });


  it('answers an unknown route with 404 not_found', async () => {
    expectProblem(await fx.admin.get('/v1/no-such-thing'), 'not_found');
    expectProblem(await fx.admin.get('/nowhere'), 'not_found');
  });

  it('answers a known route with the wrong method with 405 and an Allow header', async () => {
    const list = await fx.admin.delete('/v1/providers');
    expectProblem(list, 'method_not_allowed');
    expect(list.headers.get('allow')).toBe('GET');
    const one = await fx.admin.request('PATCH', '/v1/providers/acme:x', { json: {} });
    expectProblem(one, 'method_not_allowed');
    expect(one.headers.get('allow')).toBe('DELETE, PUT');
  });

  it('answers a JSON route sent another content type with 415 unsupported_media_type', async () => {
    const res = await fx.admin.request('PUT', '/v1/providers/acme:x', {
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 'unsupported_media_type');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await fx.admin.request('PUT', '/v1/providers/acme:x', {
      body: '{"name": "unterminated',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 'invalid_json');
  });

  it('answers a body over TASKPROC_MAX_BODY_BYTES with 413 payload_too_large', async () => {
    const res = await fx.admin.put('/v1/providers/acme:x', {
      name: 'x'.repeat(maxBodyBytes),
      taskType: 'core:text2text:summary',
    });
    expectProblem(res, 'payload_too_large');
    expect(res.body.detail).toContain(String(maxBodyBytes));
    // Just under the limit is accepted, so the limit is the configured one and not some default.
    const fits = await fx.admin.put('/v1/providers/acme:x', {
      name: 'x',
      taskType: 'core:text2text:summary',
      optionalInputShape: { pad: { name: 'Pad', description: 'x'.repeat(maxBodyBytes / 2), type: 'Text' } },
    });
    expect(fits.status).toBe(201);
  });

  it('answers a schema failure with 400 invalid_request naming the field', async () => {
    const body = await fx.admin.put('/v1/providers/acme:y', { name: 42, taskType: 'core:text2text:summary' });
    expectProblem(body, 'invalid_request');
    expect(body.body.field).toBe('json.name');
    const param = await fx.admin.put('/v1/providers/has%20space', { name: 'x', taskType: 'core:text2text:summary' });
    expectProblem(param, 'invalid_request');
    expect(param.body.field).toBe('param.providerId');
    const unknownKey = await fx.admin.put('/v1/providers/acme:y', { name: 'x', taskType: 'core:text2text:summary', colour: 'red' });
    expectProblem(unknownKey, 'invalid_request');
    expect(unknownKey.body.detail).toContain('colour');
  });

  it('answers auth failures and slot-level failures in the same format', async () => {
    expectProblem(await createHttp(fx.coordinator.url).get('/v1/providers'), 'unauthorized');
    const slot = await fx.admin.put('/v1/providers/acme:z', {
      name: 'x',
      taskType: 'core:text2text:summary',
      inputShapeDefaults: { nowhere: 'x' },
    });
    expectProblem(slot, 'invalid_provider');
    expect(slot.body.slot).toBe('nowhere');
  });

  it('sends the problem\'s requestId in the X-Request-Id header too (headers.ts: "echoed on every response")', async () => {
    for (const res of [await fx.admin.get('/v1/no-such-thing'), await createHttp(fx.coordinator.url).get('/v1/providers')]) {
      expect(res.headers.get('x-request-id')).toBe(res.body.requestId);
    }
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const echoed = await fx.admin.get('/v1/no-such-thing', { headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.body.requestId).toBe('trace-123');
    const replaced = await fx.admin.get('/v1/no-such-thing', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.body.requestId).not.toBe('bad id with spaces');
    expect(replaced.body.requestId).toMatch(/^[\w.-]+$/);
  });
});
