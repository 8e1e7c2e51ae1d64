import type { Shape, ShapeDefaults, ShapeEnumValues, ShapeType, SlotValues } from './shapes.ts';
import { isFileShapeType, isListShapeType } from './shapes.ts';

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
      return fail('unknown_slot', key, `${side} slot "${key}" is not part of the task type's or provider's shape`);
    }
  }
  const filled: SlotValues = { ...values };
  const files: FileReference[] = [];
  const slots = [
    ...Object.entries(rules.shape).map(([key, d]) => ({ key, type: d.type, required: true })),
    ...Object.entries(rules.optionalShape).map(([key, d]) => ({ key, type: d.type, required: false })),
  ];
  for (const { key, type, required } of slots) {
    if (filled[key] === undefined && rules.defaults[key] !== undefined && (type === 'Text' || type === 'Number')) {
      filled[key] = rules.defaults[key];
    }
    const value = filled[key];
    if (value === undefined) {
      if (required) return fail('missing_slot', key, `${side} slot "${key}" (${type}) is required`);
      continue;
    }
    const problem = checkValue(value, type, rules.enumValues[key]?.map((v) => v.value));
    if (problem) return fail(problem.code, key, `${side} slot "${key}" ${problem.detail}`);
    if (isFileShapeType(type)) {
      for (const fileId of isListShapeType(type) ? (value as number[]) : [value as number]) files.push({ slot: key, fileId });
    }
  }
  return { ok: true, values: filled, files };
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
      return typeof value === 'string' ? null : wrong('a text', value);
    case 'Enum':
      if (typeof value !== 'string' || value === '') return wrong('a non-empty text (Enum)', value);
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
      return isFileId(value) ? null : wrong('a file id (positive integer)', value);
    case 'ListOfNumbers':
      return isListOf(value, isNumber) ? null : wrong('a list of numbers', value);
    case 'ListOfTexts':
      return isListOf(value, (v) => typeof v === 'string') ? null : wrong('a list of texts', value);
    case 'ListOfImages':
    case 'ListOfAudio':
    case 'ListOfVideo':
    case 'ListOfFiles':
      return isListOf(value, isFileId) ? null : wrong('a list of file ids (positive integers)', value);
  }
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

function isFileId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isListOf(v: unknown, item: (x: unknown) => boolean): boolean {
  return Array.isArray(v) && v.every(item);
}
