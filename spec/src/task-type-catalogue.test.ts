import { describe, expect, it } from 'vitest';
import { isFileShapeType, isListShapeType, type ShapeEnumValues, type ShapeType, type SlotValues } from './shapes.ts';
import { BuiltInTaskTypeId, builtInTaskTypes } from './task-type-catalogue.ts';
import { TaskType } from './task-types.ts';
import { validateSlots, type SlotRules } from './validate-slots.ts';

// The rules the coordinator builds for a type served by a provider that adds nothing
// (server/src/providers/slot-rules.ts); the enum test below adds the provider's tones.
function rulesOf(type: TaskType, side: 'input' | 'output', enumValues: ShapeEnumValues = {}): SlotRules {
  return { shape: side === 'input' ? type.inputShape : type.outputShape, optionalShape: {}, enumValues, defaults: {} };
}

function typeOf(id: string): TaskType {
  const type = builtInTaskTypes.find((t) => t.id === id);
  if (!type) throw new Error(`${id} is not in the catalogue`);
  return type;
}

const toolsJson = JSON.stringify([
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Weather at a place', parameters: { type: 'object', properties: {} } },
  },
]);

/** An input and an output that fit each type added with the full catalogue, as an app and a provider would send them. */
const examples: Record<string, { input: SlotValues; output: SlotValues }> = {
  'core:text2text:changetone': { input: { input: 'Send me the report.', tone: 'friendlier' }, output: { output: 'Could you send me the report?' } },
  'core:text2text:proofread': { input: { input: 'Their is a typo.' }, output: { output: '"Their" should be "There".' } },
  'core:text2text:reformatparagraphs': { input: { input: 'One topic. Another topic.' }, output: { output: 'One topic.\n\nAnother topic.' } },
  'core:text2text:improve': { input: { input: 'teh text', instructions: 'Fix the spelling' }, output: { output: 'the text' } },
  'core:text2text:chatwithtools': {
    input: { system_prompt: 'Be brief.', input: 'Weather in Berlin?', tool_message: '', history: [], tools: toolsJson },
    output: { output: '', tool_calls: JSON.stringify([{ name: 'get_weather', id: 'call_1', args: {} }]) },
  },
  'core:text2text:multimodal-chatwithtools': {
    input: { system_prompt: '', input: 'What is on the photo?', input_attachments: [3], tool_message: '', history: [], tools: '[]' },
    output: { output: 'A lighthouse.', output_attachments: [], tool_calls: '' },
  },
  'core:contextwrite': { input: { style_input: 'Dear Sir,', source_input: 'meeting moved' }, output: { output: 'Dear Sir, the meeting has moved.' } },
  'core:generateemoji': { input: { input: 'A sunny day' }, output: { output: '☀️' } },
  'core:text2image:single': { input: { input: 'A lighthouse in a storm' }, output: { image: 12 } },
  'core:image2image': { input: { input: [4, 5], prompt: 'Make the sky red' }, output: { output: 13 } },
  'core:audio2text:subtitles': { input: { input: 6 }, output: { output: 14 } },
  'core:audio2audio:chat': {
    input: { system_prompt: '', input: 7, history: [JSON.stringify({ role: 'user', content: 'Hi' })] },
    output: { input_transcript: 'Hello?', output: 15, output_transcript: 'Hello!' },
  },
  'core:audio2audio:translate': { input: { input: 8, origin_language: 'de', target_language: 'en' }, output: { audio_output: 16 } },
  'core:text2speech': { input: { input: 'Good morning!' }, output: { speech: 17 } },
  'core:analyze-images': { input: { images: [9, 10], input: 'Which one is larger?' }, output: { output: 'The first.' } },
  'core:image2text:ocr': { input: { input: [11] }, output: { output: ['INVOICE 42'] } },
  'core:contextagent:interaction': {
    input: { input: 'Book a room', confirmation: 1, conversation_token: '' },
    output: { output: 'Done.', conversation_token: 'tok-2', actions: '[]' },
  },
  'core:contextagent:audio-interaction': {
    input: { input: 18, confirmation: 0, conversation_token: 'tok-1' },
    output: { input_transcript: 'Book a room', output: 19, output_transcript: 'Done.', conversation_token: 'tok-2', actions: '[]' },
  },
  'core:contextagent:multimodal-interaction': {
    input: { input: 'Summarise this', input_attachments: [20], confirmation: 0, conversation_token: '', memories: ['likes short answers'] },
    output: { output: 'Short.', output_attachments: [], conversation_token: 'tok-2', actions: '[]', sources: ['doc.pdf'] },
  },
};

/** A value of the wrong type for each slot type (the refusal must name the slot). */
const wrongValues: Record<ShapeType, unknown> = {
  Number: 'one',
  Text: 42,
  Image: 'photo.png',
  Audio: -1,
  Video: [1],
  File: 1.5,
  Enum: '',
  ListOfNumbers: ['1'],
  ListOfTexts: 'not a list',
  ListOfImages: [0],
  ListOfAudio: ['a'],
  ListOfVideo: 3,
  ListOfFiles: [null],
};

describe('the built-in catalogue', () => {
  it('has unique ids, one per BuiltInTaskTypeId key, each a valid TaskType', () => {
    const ids = builtInTaskTypes.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.values(BuiltInTaskTypeId).sort());
    for (const type of builtInTaskTypes) expect(TaskType.safeParse(type).success, type.id).toBe(true);
  });

  it('sets `internal` exactly on the types Nextcloud declares as IInternalTaskType', () => {
    const internal = builtInTaskTypes.filter((t) => t.internal === true).map((t) => t.id);
    expect(internal.sort()).toEqual(
      [
        'core:text2text:formalization',
        'core:text2text:reformulation',
        'core:text2text:reformatparagraphs',
        'core:text2text:chatwithtools',
        'core:text2text:multimodal-chatwithtools',
        'core:generateemoji',
        'core:audio2audio:chat',
        'core:contextagent:interaction',
        'core:contextagent:audio-interaction',
        'core:contextagent:multimodal-interaction',
      ].sort(),
    );
    // Never `internal: false`: absent means not internal, as on the wire.
    expect(builtInTaskTypes.filter((t) => 'internal' in t && t.internal !== true)).toEqual([]);
  });

  it('has an example below for every type added after the first eleven', () => {
    // The first eleven are covered by validate-slots and the server's tests.
    const added = builtInTaskTypes.slice(11).map((t) => t.id);
    expect(added.sort()).toEqual(Object.keys(examples).sort());
  });
});

describe.each(Object.entries(examples))('%s', (id, example) => {
  const type = typeOf(id);

  it('accepts an input that fits, unchanged, listing its file slots', () => {
    const checked = validateSlots(example.input, rulesOf(type, 'input'), 'input');
    expect(checked).toMatchObject({ ok: true, values: example.input });
    const fileIds = checked.ok ? checked.files.map((f) => f.fileId) : [];
    const expected = Object.entries(type.inputShape)
      .filter(([, slot]) => isFileShapeType(slot.type))
      .flatMap(([key, slot]) => (isListShapeType(slot.type) ? (example.input[key] as number[]) : [example.input[key]]));
    expect(fileIds).toEqual(expected);
  });

  it.each(Object.keys(type.inputShape))('refuses the input without required slot %s, naming it', (slot) => {
    const { [slot]: _dropped, ...rest } = example.input;
    expect(validateSlots(rest, rulesOf(type, 'input'), 'input')).toEqual({
      ok: false,
      error: { code: 'missing_slot', slot, detail: expect.stringContaining(`"${slot}"`) },
    });
  });

  it.each(Object.entries(type.inputShape).map(([slot, d]) => [slot, d.type] as const))(
    'refuses a wrong-typed %s (%s), naming it',
    (slot, slotType) => {
      const input = { ...example.input, [slot]: wrongValues[slotType] };
      expect(validateSlots(input, rulesOf(type, 'input'), 'input')).toMatchObject({
        ok: false,
        error: { code: 'invalid_slot_value', slot },
      });
    },
  );

  it('accepts an output that fits, and refuses one missing a slot', () => {
    expect(validateSlots(example.output, rulesOf(type, 'output'), 'output')).toMatchObject({ ok: true, values: example.output });
    const [first] = Object.keys(type.outputShape);
    const { [first!]: _dropped, ...rest } = example.output;
    expect(validateSlots(rest, rulesOf(type, 'output'), 'output')).toMatchObject({
      ok: false,
      error: { code: 'missing_slot', slot: first },
    });
  });
});

describe('Enum slots take their values from the provider', () => {
  const changeTone = typeOf('core:text2text:changetone');
  const tones: ShapeEnumValues = { tone: [{ name: 'Friendlier', value: 'friendlier' }, { name: 'More formal', value: 'more formal' }] };

  it('refuses a tone the provider does not offer, naming the slot and the offered values', () => {
    const checked = validateSlots({ input: 'Hi', tone: 'sarcastic' }, rulesOf(changeTone, 'input', tones), 'input');
    expect(checked).toEqual({
      ok: false,
      error: { code: 'invalid_enum_value', slot: 'tone', detail: expect.stringContaining('"friendlier", "more formal"') },
    });
    expect(validateSlots({ input: 'Hi', tone: 'more formal' }, rulesOf(changeTone, 'input', tones), 'input').ok).toBe(true);
  });

  it('accepts any non-empty tone when the provider declares none', () => {
    expect(validateSlots({ input: 'Hi', tone: 'sarcastic' }, rulesOf(changeTone, 'input'), 'input').ok).toBe(true);
  });
});
