import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, useCoordinator, type Http } from '../src/index.ts';

const summaryDescriptor = { name: 'Acme summary', taskType: 'core:text2text:summary' };

/** A custom task type with one Text and one Number input, so defaults and enums have slots to fit. */
const spectrogramType = {
  id: 'acme:audio2spectrogram',
  name: 'Spectrogram',
  description: 'Draws a spectrogram of an audio file',
  inputShape: {
    audio: { name: 'Audio', description: 'The audio', type: 'Audio' },
    title: { name: 'Title', description: 'Title drawn on the image', type: 'Text' },
    bins: { name: 'Bins', description: 'Frequency bins', type: 'Number' },
  },
  outputShape: { image: { name: 'Image', description: 'The spectrogram', type: 'Image' } },
};

describeEachDatabase('providers API', (kind) => {
  const fx = useCoordinator(kind);
  let acme: Http;
  let other: Http;
  let mailApp: Http;

  beforeAll(async () => {
    const token = async (role: string, appId: string) => {
      const res = await fx.admin.post('/v1/admin/tokens', { role, appId, name: `${appId} ${role}` });
      expect(res.status).toBe(201);
      return fx.admin.withToken(res.body.token);
    };
    acme = await token('provider', 'acme');
    other = await token('provider', 'other');
    mailApp = await token('app', 'mail');
  });

  describe('register', () => {
    it('creates a provider (201) owned by the token\'s app, with defaults filled and marked live', async () => {
      const res = await acme.put('/v1/providers/acme:summary', summaryDescriptor);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: 'acme:summary',
        appId: 'acme',
        name: 'Acme summary',
        taskType: 'core:text2text:summary',
        expectedRuntime: 60,
        inputShapeDefaults: {},
        optionalInputShape: {},
        live: true,
      });
      expect(res.body.lastSeenAt).toEqual(expect.any(String));
      expect(res.body).not.toHaveProperty('customTaskType');
    });

    it('is an idempotent upsert: 200, same registeredAt, descriptor replaced', async () => {
      const first = await acme.put('/v1/providers/acme:upsert', summaryDescriptor);
      expect(first.status).toBe(201);
      const again = await acme.put('/v1/providers/acme:upsert', summaryDescriptor);
      expect(again.status).toBe(200);
      expect(again.body.registeredAt).toBe(first.body.registeredAt);
      const renamed = await acme.put('/v1/providers/acme:upsert', { ...summaryDescriptor, name: 'Renamed', expectedRuntime: 5 });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed', expectedRuntime: 5, registeredAt: first.body.registeredAt });
    });

    it('refuses an id registered by another app (409 provider_conflict) and leaves it unchanged', async () => {
      await acme.put('/v1/providers/acme:owned', summaryDescriptor);
      const res = await other.put('/v1/providers/acme:owned', { ...summaryDescriptor, name: 'Hijacked' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('provider_conflict');
      const list = await acme.get('/v1/providers');
      expect(list.body.providers.find((p: any) => p.id === 'acme:owned').name).toBe('Acme summary');
    });

    it('refuses an unknown task type without a customTaskType (422 naming the field)', async () => {
      const res = await acme.put('/v1/providers/acme:nope', { name: 'x', taskType: 'acme:does-not-exist' });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'unknown_task_type', field: 'json.taskType' });
    });

    it('refuses a descriptor that fails its schema with 400 invalid_request naming the field', async () => {
      const res = await acme.put('/v1/providers/acme:bad', { name: 'x', taskType: 'core:text2text', expectedRuntime: -1 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request', field: 'json.expectedRuntime' });
    });

    it('lets an admin register (app "admin") and overwrite another app\'s provider (keeping its app)', async () => {
      const created = await fx.admin.put('/v1/providers/ops:summary', summaryDescriptor);
      expect(created.status).toBe(201);
      expect(created.body.appId).toBe('admin');
      await acme.put('/v1/providers/acme:admin-edit', summaryDescriptor);
      const edited = await fx.admin.put('/v1/providers/acme:admin-edit', { ...summaryDescriptor, name: 'Edited by admin' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ appId: 'acme', name: 'Edited by admin' });
    });

    it('is refused to app tokens (403)', async () => {
      const res = await mailApp.put('/v1/providers/mail:summary', summaryDescriptor);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    });
  });

  describe('descriptor consistency (422 invalid_provider naming the slot)', () => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['a default for a slot the type lacks', { inputShapeDefaults: { tone: 'dry' } }, 'tone', 'json.inputShapeDefaults.tone'],
      [
        'a default for a non Text/Number slot',
        { taskType: 'core:text2text:translate', inputShapeDefaults: { origin_language: 'en' } },
        'origin_language',
        'json.inputShapeDefaults.origin_language',
      ],
      [
        'a default of the wrong type',
        { taskType: 'core:text2image', inputShapeDefaults: { numberOfImages: 'two' } },
        'numberOfImages',
        'json.inputShapeDefaults.numberOfImages',
      ],
      [
        'an optional default without the optional slot',
        { optionalInputShapeDefaults: { tone: 'dry' } },
        'tone',
        'json.optionalInputShapeDefaults.tone',
      ],
      ['enum values for a Text slot', { inputShapeEnumValues: { input: [{ name: 'A', value: 'a' }] } }, 'input', 'json.inputShapeEnumValues.input'],
      [
        'enum values for an output slot the type lacks',
        { outputShapeEnumValues: { mood: [{ name: 'A', value: 'a' }] } },
        'mood',
        'json.outputShapeEnumValues.mood',
      ],
      [
        'optional enum values for a Text optional slot',
        {
          optionalInputShape: { tone: { name: 'Tone', description: 'Tone', type: 'Text' } },
          optionalInputShapeEnumValues: { tone: [{ name: 'Dry', value: 'dry' }] },
        },
        'tone',
        'json.optionalInputShapeEnumValues.tone',
      ],
      [
        'an enum value listed twice',
        {
          taskType: 'core:text2text:translate',
          inputShapeEnumValues: { target_language: [{ name: 'English', value: 'en' }, { name: 'Also English', value: 'en' }] },
        },
        'target_language',
        'json.inputShapeEnumValues.target_language',
      ],
      [
        'an optional input slot colliding with the type',
        { optionalInputShape: { input: { name: 'Again', description: 'Shadows input', type: 'Text' } } },
        'input',
        'json.optionalInputShape.input',
      ],
      [
        'an optional output slot colliding with the type',
        { optionalOutputShape: { output: { name: 'Again', description: 'Shadows output', type: 'Text' } } },
        'output',
        'json.optionalOutputShape.output',
      ],
    ];
    it.each(cases)('refuses %s', async (_name, extra, slot, field) => {
      const res = await acme.put('/v1/providers/acme:inconsistent', { ...summaryDescriptor, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body).toMatchObject({ code: 'invalid_provider', slot, field });
      expect(res.body.detail).toContain(slot);
      const list = await acme.get('/v1/providers');
      expect(list.body.providers.map((p: any) => p.id)).not.toContain('acme:inconsistent');
    });

    it('accepts defaults, enum values and optional slots that fit', async () => {
      const res = await acme.put('/v1/providers/acme:translate', {
        name: 'Acme translate',
        taskType: 'core:text2text:translate',
        inputShapeEnumValues: {
          origin_language: [{ name: 'Detect', value: 'detect' }],
          target_language: [{ name: 'English', value: 'en' }, { name: 'German', value: 'de' }],
        },
        optionalInputShape: {
          formality: { name: 'Formality', description: 'How formal', type: 'Enum' },
          glossary: { name: 'Glossary', description: 'Terms to keep', type: 'Text' },
        },
        optionalInputShapeDefaults: { glossary: '' },
        optionalInputShapeEnumValues: { formality: [{ name: 'Formal', value: 'formal' }] },
        optionalOutputShape: { confidence: { name: 'Confidence', description: '0..1', type: 'Number' } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.optionalInputShapeDefaults).toEqual({ glossary: '' });
    });
  });

  describe('custom task types', () => {
    it('registers a provider with its own type, which other providers may then serve', async () => {
      const res = await acme.put('/v1/providers/acme:spectrogram', {
        name: 'Acme spectrogram',
        taskType: spectrogramType.id,
        customTaskType: spectrogramType,
        inputShapeDefaults: { title: 'Spectrogram', bins: 64 },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.inputShapeDefaults).toEqual({ title: 'Spectrogram', bins: 64 });
      const follower = await other.put('/v1/providers/other:spectrogram', { name: 'Other', taskType: spectrogramType.id });
      expect(follower.status).toBe(201);
      const same = await other.put('/v1/providers/other:spectrogram2', {
        name: 'Other 2',
        taskType: spectrogramType.id,
        customTaskType: spectrogramType,
      });
      expect(same.status).toBe(201);
    });

    it('refuses a different definition from another provider (409) but lets the definer update it', async () => {
      const changed = { ...spectrogramType, description: 'Different' };
      const clash = await other.put('/v1/providers/other:spectrogram', {
        name: 'Other',
        taskType: spectrogramType.id,
        customTaskType: changed,
      });
      expect(clash.status).toBe(409);
      expect(clash.body.code).toBe('task_type_conflict');
      const update = await acme.put('/v1/providers/acme:spectrogram', {
        name: 'Acme spectrogram',
        taskType: spectrogramType.id,
        customTaskType: changed,
      });
      expect(update.status).toBe(200);
      const stale = await other.put('/v1/providers/other:spectrogram', {
        name: 'Other',
        taskType: spectrogramType.id,
        customTaskType: spectrogramType,
      });
      expect(stale.status).toBe(409);
    });

    it('refuses redefining a built-in type (409) and an id that differs from taskType (422)', async () => {
      const builtIn = await acme.put('/v1/providers/acme:fake-summary', {
        ...summaryDescriptor,
        customTaskType: { ...spectrogramType, id: 'core:text2text:summary' },
      });
      expect(builtIn.status).toBe(409);
      expect(builtIn.body.code).toBe('task_type_conflict');
      const mismatch = await acme.put('/v1/providers/acme:mismatch', {
        name: 'Mismatch',
        taskType: 'acme:one',
        customTaskType: { ...spectrogramType, id: 'acme:two' },
      });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body).toMatchObject({ code: 'invalid_provider', field: 'json.customTaskType.id' });
    });

    it('passes a custom type to the next definer once its defining provider is deleted', async () => {
      const type = { ...spectrogramType, id: 'acme:adopted' };
      expect((await acme.put('/v1/providers/acme:adopted', { name: 'A', taskType: type.id, customTaskType: type })).status).toBe(201);
      const changed = { ...type, description: 'Adopted and changed' };
      const whileDefined = await other.put('/v1/providers/other:adopted', { name: 'O', taskType: type.id, customTaskType: changed });
      expect(whileDefined.status).toBe(409);
      expect((await acme.delete('/v1/providers/acme:adopted')).status).toBe(204);
      const adopted = await other.put('/v1/providers/other:adopted', { name: 'O', taskType: type.id, customTaskType: changed });
      expect(adopted.status).toBe(201);
    });

    it('stores nothing of a refused registration, not even its custom type', async () => {
      const type = { ...spectrogramType, id: 'acme:rolled-back' };
      const refused = await acme.put('/v1/providers/acme:rolled-back', {
        name: 'Refused',
        taskType: type.id,
        customTaskType: type,
        inputShapeDefaults: { nowhere: 1 },
      });
      expect(refused.status).toBe(422);
      // Had the type been stored, this different definition would clash with it.
      const other2 = await other.put('/v1/providers/other:rolled-back', {
        name: 'Other',
        taskType: type.id,
        customTaskType: { ...type, description: 'Another definition' },
      });
      expect(other2.status).toBe(201);
    });
  });

  describe('list and delete', () => {
    it('lists the own app\'s providers to provider tokens and every provider to app and admin tokens', async () => {
      const own = await acme.get('/v1/providers');
      expect(own.status).toBe(200);
      expect(own.body.providers.length).toBeGreaterThan(0);
      expect(own.body.providers.every((p: any) => p.appId === 'acme')).toBe(true);
      const all = await mailApp.get('/v1/providers');
      expect(all.status).toBe(200);
      const apps = new Set(all.body.providers.map((p: any) => p.appId));
      expect(apps).toEqual(new Set(['acme', 'other', 'admin']));
      const adminList = await fx.admin.get('/v1/providers');
      expect(adminList.body.providers.length).toBe(all.body.providers.length);
    });

    it('deletes own providers (204), answers 404 for another app\'s and for missing ones', async () => {
      await acme.put('/v1/providers/acme:doomed', summaryDescriptor);
      const foreign = await other.delete('/v1/providers/acme:doomed');
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('not_found');
      const deleted = await acme.delete('/v1/providers/acme:doomed');
      expect(deleted.status).toBe(204);
      const list = await fx.admin.get('/v1/providers');
      expect(list.body.providers.map((p: any) => p.id)).not.toContain('acme:doomed');
      expect((await acme.delete('/v1/providers/acme:doomed')).status).toBe(404);
    });

    it('lets another app register an id once its owner deleted it', async () => {
      await acme.put('/v1/providers/shared:id', summaryDescriptor);
      expect((await acme.delete('/v1/providers/shared:id')).status).toBe(204);
      const res = await other.put('/v1/providers/shared:id', summaryDescriptor);
      expect(res.status).toBe(201);
      expect(res.body.appId).toBe('other');
    });
  });
});
