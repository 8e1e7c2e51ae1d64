import fc from 'fast-check';
import type { ShapeType, SlotRules } from '@taskproc/spec';
import { oddKeys, oddValue, rawFragments, withKey } from './odd-values.ts';

// Task input and output for a task type's shapes: SlotValues is "any object" to zod, so what a
// valid value is comes from the shapes, and the slot-level mistakes (a wrong type, an unknown or
// prototype key, a missing slot, text a database cannot store) are made here, one at a time.

/** File ids a slot may name: ids the caller owns, mostly, and some that it does not or that do not exist. */
export type FileIds = () => readonly number[];

const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => 't'.repeat(n)) },
);

function fileId(files: FileIds): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(null).chain(() => (files().length > 0 ? fc.constantFrom(...files()) : fc.constant(1))) },
    { weight: 1, arbitrary: fc.constantFrom(999_999, 2_147_483_647) },
  );
}

function valueOf(type: ShapeType, enumValues: readonly string[], files: FileIds): fc.Arbitrary<unknown> {
  switch (type) {
    case 'Number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'Text':
      return text;
    case 'Enum':
      return enumValues.length > 0 ? fc.constantFrom(...enumValues) : fc.string({ minLength: 1, maxLength: 12 });
    case 'ListOfNumbers':
      return fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 4 });
    case 'ListOfTexts':
      return fc.array(text, { maxLength: 4 });
    case 'ListOfImages':
    case 'ListOfAudio':
    case 'ListOfVideo':
    case 'ListOfFiles':
      return fc.array(fileId(files), { maxLength: 3 });
    default:
      return fileId(files);
  }
}

interface Slot {
  key: string;
  type: ShapeType;
  required: boolean;
  enumValues: string[];
}

function slotsOf(rules: SlotRules): Slot[] {
  const enumOf = (key: string) => (Object.hasOwn(rules.enumValues, key) ? rules.enumValues[key]!.map((v) => v.value) : []);
  return [
    ...Object.entries(rules.shape).map(([key, d]) => ({ key, type: d.type, required: true, enumValues: enumOf(key) })),
    ...Object.entries(rules.optionalShape).map(([key, d]) => ({ key, type: d.type, required: false, enumValues: enumOf(key) })),
  ];
}

/** Slot values that fit `rules` (required slots filled, unless a default covers them; optional ones sometimes). */
export function validSlotValues(rules: SlotRules, files: FileIds): fc.Arbitrary<Record<string, unknown>> {
  const slots = slotsOf(rules);
  const model = Object.fromEntries(slots.map((s) => [s.key, valueOf(s.type, s.enumValues, files)]));
  const requiredKeys = slots.filter((s) => s.required && !Object.hasOwn(rules.defaults, s.key)).map((s) => s.key);
  return fc.record(model, { requiredKeys });
}

/** Slot values with one mistake: a slot of the wrong type or odd value, an unknown or prototype key, a missing slot. */
export function invalidSlotValues(rules: SlotRules, files: FileIds): fc.Arbitrary<unknown> {
  const slots = slotsOf(rules);
  const valid = validSlotValues(rules, files);
  const options: fc.Arbitrary<unknown>[] = [
    fc.tuple(valid, fc.constantFrom(...oddKeys), oddValue).map(([v, k, x]) => withKey(v, k, x)),
    fc.oneof(oddValue, rawFragments),
  ];
  if (slots.length > 0) {
    const slot = fc.constantFrom(...slots);
    options.push(
      fc.tuple(valid, slot, fc.oneof(oddValue, rawFragments)).map(([v, s, x]) => withKey(v, s.key, x)),
      fc.tuple(valid, slot).map(([v, s]) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== s.key))),
      // A value of another slot type: a list where one value goes, a text for a file id.
      fc.tuple(valid, slot, fc.constantFrom<ShapeType>('Text', 'Number', 'ListOfTexts', 'File', 'ListOfFiles'))
        .chain(([v, s, other]) => valueOf(other, [], files).map((x) => withKey(v, s.key, x))),
    );
  }
  return fc.oneof(...options);
}
