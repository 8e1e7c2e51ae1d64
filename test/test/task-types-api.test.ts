import { beforeAll, expect, it } from 'vitest';
import { builtInTaskTypes } from '@taskproc/spec';
import { describeEachDatabase, expectProblem, registerProvider, tokenClient, useCoordinator, type Http } from '../src/index.ts';

const translate = 'core:text2text:translate';
const spectrogram = {
  id: 'acme:audio2spectrogram',
  name: 'Spectrogram',
  description: 'Draws a spectrogram of an audio file',
  inputShape: { audio: { name: 'Audio', description: 'The audio', type: 'Audio' } },
  outputShape: { image: { name: 'Image', description: 'The spectrogram', type: 'Image' } },
};
const formality = { name: 'Formality', description: 'How formal', type: 'Enum' };
const tone = { name: 'Tone', description: 'Tone of the translation', type: 'Text' };
const languages = (...codes: string[]) => codes.map((code) => ({ name: code.toUpperCase(), value: code }));

describeEachDatabase('task types API', (kind) => {
  const fx = useCoordinator(kind);
  let mail: Http;
  let acme: Http;

  beforeAll(async () => {
    acme = await tokenClient(fx.admin, 'provider', 'acme');
    mail = await tokenClient(fx.admin, 'app', 'mail');
    await registerProvider(acme, 'acme:translate', {
      name: 'Acme translate',
      taskType: translate,
      inputShapeEnumValues: { origin_language: languages('de', 'en'), target_language: languages('en') },
      inputShapeDefaults: { input: 'Hallo' },
      optionalInputShape: { formality, tone },
      optionalInputShapeEnumValues: { formality: languages('formal', 'informal') },
      optionalInputShapeDefaults: { tone: 'neutral' },
      optionalOutputShape: { confidence: { name: 'Confidence', description: '0..1', type: 'Number' } },
    });
    await registerProvider(acme, 'acme:translate-lite', {
      name: 'Lite translate',
      taskType: translate,
      inputShapeEnumValues: { origin_language: languages('fr'), target_language: languages('fr') },
    });
    await registerProvider(acme, 'acme:spectrogram', {
      name: 'Spectrograms',
      taskType: spectrogram.id,
      customTaskType: spectrogram,
    });
  });

  it('lists the types that have a provider, sorted, merged with the serving provider\'s additions', async () => {
    const res = await mail.get('/v1/task-types');
    expect(res.status).toBe(200);
    expect(res.body.types.map((t: any) => t.id)).toEqual([spectrogram.id, translate]);
    const builtIn = builtInTaskTypes.find((t) => t.id === translate)!;
    expect(res.body.types[1]).toEqual({
      id: translate,
      name: builtIn.name,
      description: builtIn.description,
      builtIn: true,
      internal: false,
      enabled: true,
      providerId: 'acme:translate',
      providerIds: ['acme:translate', 'acme:translate-lite'],
      inputShape: builtIn.inputShape,
      inputShapeDefaults: { input: 'Hallo' },
      inputShapeEnumValues: { origin_language: languages('de', 'en'), target_language: languages('en') },
      optionalInputShape: { formality, tone },
      optionalInputShapeDefaults: { tone: 'neutral' },
      optionalInputShapeEnumValues: { formality: languages('formal', 'informal') },
      outputShape: builtIn.outputShape,
      outputShapeEnumValues: {},
      optionalOutputShape: { confidence: { name: 'Confidence', description: '0..1', type: 'Number' } },
      optionalOutputShapeEnumValues: {},
    });
    expect(res.body.types[0]).toMatchObject({
      id: spectrogram.id,
      name: spectrogram.name,
      builtIn: false,
      providerId: 'acme:spectrogram',
      inputShape: spectrogram.inputShape,
      outputShape: spectrogram.outputShape,
    });
  });

  it('with all=true also lists every type without a provider, with empty additions', async () => {
    const res = await mail.get('/v1/task-types?all=true');
    expect(res.status).toBe(200);
    const ids = res.body.types.map((t: any) => t.id);
    expect(ids).toEqual([...builtInTaskTypes.map((t) => t.id), spectrogram.id].sort());
    // Nextcloud's IInternalTaskType: listed, flagged for pickers to hide.
    expect(res.body.types.find((t: any) => t.id === 'core:text2text:chatwithtools').internal).toBe(true);
    const topics = res.body.types.find((t: any) => t.id === 'core:text2text:topics');
    expect(topics).toMatchObject({
      builtIn: true,
      enabled: true,
      providerId: null,
      providerIds: [],
      inputShapeDefaults: {},
      inputShapeEnumValues: {},
      optionalInputShape: {},
      optionalOutputShape: {},
    });
    expect((await mail.get('/v1/task-types?all=false')).body.types).toHaveLength(2);
  });

  it('follows the admin\'s provider preference and shows disabled types as disabled', async () => {
    const settings = await fx.admin.put(`/v1/admin/task-types/${translate}`, {
      enabled: false,
      preferredProviders: ['acme:translate-lite'],
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const type = (await mail.get('/v1/task-types')).body.types.find((t: any) => t.id === translate);
    expect(type).toMatchObject({
      enabled: false,
      providerId: 'acme:translate-lite',
      providerIds: ['acme:translate-lite', 'acme:translate'],
      inputShapeEnumValues: { origin_language: languages('fr'), target_language: languages('fr') },
      optionalInputShape: {},
      inputShapeDefaults: {},
    });
    await fx.admin.put(`/v1/admin/task-types/${translate}`, { enabled: true, preferredProviders: [] });
  });

  it('validates input against the provider the listing names', async () => {
    await fx.admin.put(`/v1/admin/task-types/${translate}`, { enabled: true, preferredProviders: ['acme:translate-lite'] });
    const input = { input: 'Bonjour', origin_language: 'fr', target_language: 'fr' };
    expect((await mail.post('/v1/tasks', { type: translate, input })).status).toBe(201);
    await fx.admin.put(`/v1/admin/task-types/${translate}`, { enabled: true, preferredProviders: [] });
    const refused = await mail.post('/v1/tasks', { type: translate, input });
    expectProblem(refused, 422, 'invalid_enum_value', { slot: 'origin_language' });
  });

  it('refuses a bad all flag (400) and provider tokens (403)', async () => {
    expectProblem(await mail.get('/v1/task-types?all=yes'), 400, 'invalid_request', { field: 'query.all' });
    expectProblem(await acme.get('/v1/task-types'), 403, 'forbidden');
    expect((await fx.admin.get('/v1/task-types')).status).toBe(200);
  });
});
