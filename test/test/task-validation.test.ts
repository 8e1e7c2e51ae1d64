import { beforeAll, describe, expect, it } from 'vitest';
import {
  describeEachDatabase,
  expectProblem,
  registerProvider,
  tokenClient,
  uploadFile,
  useCoordinator,
  type Http,
  type TestResponse,
} from '../src/index.ts';
import { allTaskIds } from './task-test-setup.ts';

const slot = (type: string) => ({ name: type, description: `A ${type} slot`, type });

/** A custom type whose input has one slot of every shape type. */
const everyShapeType = {
  id: 'acme:everyshape',
  name: 'Every shape',
  description: 'Takes one slot of each shape type',
  inputShape: {
    number: slot('Number'),
    text: slot('Text'),
    image: slot('Image'),
    audio: slot('Audio'),
    video: slot('Video'),
    file: slot('File'),
    choice: slot('Enum'),
    numbers: slot('ListOfNumbers'),
    texts: slot('ListOfTexts'),
    images: slot('ListOfImages'),
    audios: slot('ListOfAudio'),
    videos: slot('ListOfVideo'),
    files: slot('ListOfFiles'),
  },
  outputShape: { result: slot('Text') },
};

const maxInputBytes = 4096;

describeEachDatabase('task input validation', (kind) => {
  const fx = useCoordinator(kind, { TASKPROC_MAX_INPUT_BYTES: String(maxInputBytes) });
  let mail: Http;
  let valid: Record<string, unknown>;
  let otherAppsFile: number;

  beforeAll(async () => {
    const acme = await tokenClient(fx.admin, 'provider', 'acme');
    mail = await tokenClient(fx.admin, 'app', 'mail');
    const other = await tokenClient(fx.admin, 'app', 'other');
    await registerProvider(acme, 'acme:every', {
      name: 'Every shape',
      taskType: everyShapeType.id,
      customTaskType: everyShapeType,
      inputShapeDefaults: { text: 'default text', number: 7 },
      inputShapeEnumValues: { choice: [{ name: 'A', value: 'a' }, { name: 'B', value: 'b' }] },
      optionalInputShape: { note: slot('Text'), strength: slot('Number'), mode: slot('Enum') },
      optionalInputShapeDefaults: { note: 'none', strength: 0.5 },
      optionalInputShapeEnumValues: { mode: [{ name: 'Fast', value: 'fast' }] },
    });
    await registerProvider(acme, 'acme:headline', { name: 'Headlines', taskType: 'core:text2text:headline' });

    const [image, audio, video, file] = await Promise.all([
      uploadFile(mail, 'png', 'image/png'),
      uploadFile(mail, 'ogg', 'audio/ogg'),
      uploadFile(mail, 'webm', 'video/webm'),
      uploadFile(mail, 'pdf', 'application/pdf'),
    ]);
    otherAppsFile = await uploadFile(other, 'not yours');
    valid = {
      number: 3,
      text: 'hello',
      image,
      audio,
      video,
      file,
      choice: 'a',
      numbers: [1, 2.5, -3],
      texts: ['x', 'y'],
      images: [image],
      audios: [audio, audio],
      videos: [video],
      files: [file, image],
    };
  });

  const schedule = (input: Record<string, unknown>, type = everyShapeType.id) => mail.post('/v1/tasks', { type, input });

  /** Schedules a request that must fail, and proves it wrote no task. */
  const scheduleRejected = async (body: unknown): Promise<TestResponse> => {
    const before = await allTaskIds(fx.admin);
    const res = await mail.post('/v1/tasks', body);
    expect(await allTaskIds(fx.admin)).toEqual(before);
    return res;
  };

  it('accepts one valid value of every shape type and fills the optional defaults', async () => {
    const res = await schedule(valid);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.input).toEqual({ ...valid, note: 'none', strength: 0.5 });
  });

  it('fills defaults of required Text and Number slots that were left out', async () => {
    const { text: _text, number: _number, ...rest } = valid;
    const res = await schedule(rest);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.input).toMatchObject({ text: 'default text', number: 7, note: 'none', strength: 0.5 });
  });

  it('keeps values given for slots that have defaults', async () => {
    const res = await schedule({ ...valid, text: 'mine', number: 0, note: '', strength: 2 });
    expect(res.status).toBe(201);
    expect(res.body.input).toMatchObject({ text: 'mine', number: 0, note: '', strength: 2 });
  });

  it('accepts empty lists and the provider\'s optional Enum slot', async () => {
    const res = await schedule({ ...valid, numbers: [], files: [], mode: 'fast' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.input).toMatchObject({ numbers: [], files: [], mode: 'fast' });
  });

  describe('refuses a value of the wrong type, naming the slot, and writes nothing', () => {
    const wrong: Array<[string, unknown]> = [
      ['number', '3'],
      ['text', 3],
      ['image', 'abc'],
      ['audio', -1],
      ['video', 1.5],
      ['file', [1]],
      ['choice', 5],
      ['numbers', [1, '2']],
      ['texts', 'x'],
      ['images', [0]],
      ['audios', 'a'],
      ['videos', [1.2]],
      ['files', { id: 1 }],
    ];
    it('covers every shape type', () => {
      expect(wrong.map(([key]) => key).sort()).toEqual(Object.keys(everyShapeType.inputShape).sort());
    });
    it.each(wrong)('%s = %j', async (key, value) => {
      const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, [key]: value } });
      expectProblem(res, 422, 'invalid_slot_value', { slot: key });
      expect(res.body.detail).toContain(key);
    });
    it('a provider\'s optional slot too (strength = "high")', async () => {
      const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, strength: 'high' } });
      expectProblem(res, 422, 'invalid_slot_value', { slot: 'strength' });
    });
    it('null is no value of any type', async () => {
      const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, text: null } });
      expectProblem(res, 422, 'invalid_slot_value', { slot: 'text' });
    });
  });

  it('refuses a slot the shape does not declare', async () => {
    const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, bogus: 'x' } });
    expectProblem(res, 422, 'unknown_slot', { slot: 'bogus' });
  });

  it('refuses a missing required slot that has no default', async () => {
    const { image: _image, ...rest } = valid;
    const res = await scheduleRejected({ type: everyShapeType.id, input: rest });
    expectProblem(res, 422, 'missing_slot', { slot: 'image' });
  });

  it('refuses an Enum value the provider does not offer, listing the ones it does', async () => {
    const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, choice: 'c' } });
    expectProblem(res, 422, 'invalid_enum_value', { slot: 'choice' });
    expect(res.body.detail).toContain('"a", "b"');
    const optional = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, mode: 'slow' } });
    expectProblem(optional, 422, 'invalid_enum_value', { slot: 'mode' });
  });

  it('refuses a file of another app as if it did not exist, in single and list slots', async () => {
    const single = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, audio: otherAppsFile } });
    expectProblem(single, 422, 'file_not_found', { slot: 'audio' });
    const inList = await scheduleRejected({
      type: everyShapeType.id,
      input: { ...valid, files: [valid.file, otherAppsFile] },
    });
    expectProblem(inList, 422, 'file_not_found', { slot: 'files' });
    const missing = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, video: 999_999 } });
    expectProblem(missing, 422, 'file_not_found', { slot: 'video' });
    // Nothing tells "another app's" from "no such file": ids cannot be probed.
    expect(single.body.detail).toBe(`input slot "audio": file ${otherAppsFile} does not exist`);
  });

  it('lets the admin use any app\'s files', async () => {
    const res = await fx.admin.post('/v1/tasks', { type: everyShapeType.id, input: { ...valid, audio: otherAppsFile } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.appId).toBe('admin');
  });

  it('refuses an input over TASKPROC_MAX_INPUT_BYTES, and accepts one just under it', async () => {
    const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, text: 'x'.repeat(maxInputBytes) } });
    expectProblem(res, 422, 'input_too_large');
    expect(res.body.detail).toContain(String(maxInputBytes));
    const small = await schedule({ ...valid, text: 'x'.repeat(maxInputBytes - 600) });
    expect(small.status, JSON.stringify(small.body)).toBe(201);
  });

  it('counts bytes, not characters (multi-byte text)', async () => {
    // 1500 four-byte characters: 1500 characters, 6000 bytes.
    const res = await scheduleRejected({ type: everyShapeType.id, input: { ...valid, text: '😀'.repeat(1500) } });
    expectProblem(res, 422, 'input_too_large');
  });

  it('refuses an unknown task type, naming the field', async () => {
    const res = await scheduleRejected({ type: 'acme:nosuchtype', input: {} });
    expectProblem(res, 422, 'unknown_task_type', { field: 'json.type' });
  });

  it('refuses a known type no provider serves with 409 no_provider', async () => {
    const res = await scheduleRejected({ type: 'core:text2text:topics', input: { input: 'a text' } });
    expectProblem(res, 409, 'no_provider');
  });

  it('refuses a type an admin disabled with 409 task_type_disabled, and accepts it again once enabled', async () => {
    const input = { input: 'A long text that needs a headline' };
    const disable = await fx.admin.put('/v1/admin/task-types/core:text2text:headline', { enabled: false });
    expect(disable.status, JSON.stringify(disable.body)).toBe(200);
    const res = await scheduleRejected({ type: 'core:text2text:headline', input });
    expectProblem(res, 409, 'task_type_disabled');
    const enable = await fx.admin.put('/v1/admin/task-types/core:text2text:headline', { enabled: true });
    expect(enable.status).toBe(200);
    expect((await schedule(input, 'core:text2text:headline')).status).toBe(201);
  });

  it('checks a built-in type against its own shape', async () => {
    const res = await scheduleRejected({ type: 'core:text2text:headline', input: { input: 'x', note: 'y' } });
    expectProblem(res, 422, 'unknown_slot', { slot: 'note' });
  });

  it('refuses malformed requests (400) before looking at the input', async () => {
    expectProblem(await scheduleRejected({ type: 'not a type id', input: {} }), 400, 'invalid_request', { field: 'json.type' });
    expectProblem(await scheduleRejected({ type: everyShapeType.id }), 400, 'invalid_request', { field: 'json.input' });
    expectProblem(
      await scheduleRejected({ type: everyShapeType.id, input: valid, surprise: 1 }),
      400,
      'invalid_request',
    );
    expectProblem(
      await scheduleRejected({ type: everyShapeType.id, input: valid, priority: 1001 }),
      400,
      'invalid_request',
      { field: 'json.priority' },
    );
    expectProblem(
      await scheduleRejected({ type: everyShapeType.id, input: valid, webhookUri: 'ftp://example.com/x' }),
      400,
      'invalid_request',
      { field: 'json.webhookUri' },
    );
  });
});
