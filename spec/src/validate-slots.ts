import type { Shape, ShapeDefaults, ShapeEnumValues, ShapeType, SlotValues } from './shapes.ts';
import { isFileShapeType, isListShapeType } from './shapes.ts';
import { isRowId, isStorableText, unstorableTextMessage } from './safe-values.ts';

/** The shapes one side (input or output) of a task is checked against. */
export interface SlotRules {
  shape: Shape;
  optionalShape: Shape;
  /** Enum values of required and optional slots, merged. */
  enumValues: ShapeEnumValues;
  /** Defaults of required and optional slots, merged. Empty for outputs. */
  defaults: ShapeDefaults;
}

export type SlotErrorCode = 'unknown_slot' | 'missing_slot' | 'invalid_slot_value' | 'invalid_enum_value';

export interface SlotError {
  code: SlotErrorCode;
  slot: string;
  detail: string;
}

/** A file id found in a file slot; the caller checks that the file exists and may be used. */
export interface FileReference {
  slot: string;
  fileId: number;
}

export type SlotValidation =
  | { ok: true; values: SlotValues; files: FileReference[] }
  | { ok: false; error: SlotError };

/**
 * Checks task input or output against its shapes, the way Nextcloud's Manager::validateInput does,
 * and fills defaults (Text and Number slots only). Unknown keys, missing required slots, values of
 * the wrong type and Enum values the provider does not offer are refused, naming the slot. Enum
 * slots for which the provider declares no values accept any non-empty text.
 */
export function validateSlots(values: SlotValues, rules: SlotRules, side: 'input' | 'output'): SlotValidation {
  for (const key of Object.keys(values)) {
    // Own properties only: `constructor` or `__proto__` are not slots because every object "has" them.
    if (!Object.hasOwn(rules.shape, key) && !Object.hasOwn(rules.optionalShape, key)) {
      // Quoted as JSON: the key is the caller's, and the detail may be stored (a failed task's error).
      return fail('unknown_slot', key, `${side} slot ${JSON.stringify(key)} is not part of the task type's or provider's shape`);
    }
  }
  const filled: SlotValues = { ...values };
  const files: FileReference[] = [];
  const slots = [
    ...Object.entries(rules.shape).map(([key, d]) => ({ key, type: d.type, required: true })),
    ...Object.entries(rules.optionalShape).map(([key, d]) => ({ key, type: d.type, required: false })),
  ];
  for (const { key, type, required } of slots) {
    // Own properties only here too: a slot may be called `constructor`, which every object "has".
    let value = ownValue(filled, key);
    if (value === undefined && (type === 'Text' || type === 'Number')) {
      value = ownValue(rules.defaults, key);
      if (value !== undefined) filled[key] = value;
    }
    if (value === undefined) {
      if (required) return fail('missing_slot', key, `${side} slot "${key}" (${type}) is required`);
      continue;
    }
    const problem = checkValue(value, type, ownValue(rules.enumValues, key)?.map((v) => v.value));
    if (problem) return fail(problem.code, key, `${side} slot "${key}" ${problem.detail}`);
    if (isFileShapeType(type)) {
      for (const fileId of isListShapeType(type) ? (value as number[]) : [value as number]) files.push({ slot: key, fileId });
    }
  }
  return { ok: true, values: filled, files };
}

function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function fail(code: SlotErrorCode, slot: string, detail: string): SlotValidation {
  return { ok: false, error: { code, slot, detail } };
}

type ValueProblem = { code: SlotErrorCode; detail: string } | null;

function checkValue(value: unknown, type: ShapeType, enumValues: string[] | undefined): ValueProblem {
  switch (type) {
    case 'Number':
      return isNumber(value) ? null : wrong('a number', value);
    case 'Text':
      if (typeof value !== 'string') return wrong('a text', value);
      return isStorableText(value) ? null : unstorable();
    case 'Enum':
      if (typeof value !== 'string' || value === '') return wrong('a non-empty text (Enum)', value);
      if (!isStorableText(value)) return unstorable();
      if (enumValues && enumValues.length > 0 && !enumValues.includes(value)) {
        return {
          code: 'invalid_enum_value',
          detail: `must be one of ${enumValues.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`,
        };
      }
      return null;
    case 'Image':
    case 'Audio':
    case 'Video':
    case 'File':
      return isFileId(value) ? null : wrong('a file id (an integer from 1 to 2147483647)', value);
    case 'ListOfNumbers':
      return isListOf(value, isNumber) ? null : wrong('a list of numbers', value);
    case 'ListOfTexts':
      if (!isListOf(value, (v) => typeof v === 'string')) return wrong('a list of texts', value);
      return (value as string[]).every(isStorableText) ? null : unstorable();
    case 'ListOfImages':
    case 'ListOfAudio':
    case 'ListOfVideo':
    case 'ListOfFiles':
      return isListOf(value, isFileId) ? null : wrong('a list of file ids (integers from 1 to 2147483647)', value);
  }
}

function unstorable(): ValueProblem {
  return { code: 'invalid_slot_value', detail: unstorableTextMessage };
}

function wrong(expected: string, value: unknown): ValueProblem {
  return { code: 'invalid_slot_value', detail: `must be ${expected}, got ${describe(value)}` };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** File ids are `serial` (int4) ids: a larger number names no file, and the database would refuse it. */
function isFileId(v: unknown): v is number {
  return isRowId(v);
}

function isListOf(v: unknown, item: (x: unknown) => boolean): boolean {
  return Array.isArray(v) && v.every(item);
}
