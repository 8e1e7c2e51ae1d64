import { z } from 'zod';
import { isJsonObject, isWithinDepth, maxJsonDepth, recordOf, storableText } from './safe-values.ts';

/**
 * Slot types of task input and output shapes, as Nextcloud's `OCP\TaskProcessing\EShapeType`.
 * On the wire a slot type is its name; `shapeTypeCodes` keeps Nextcloud's integer for reference.
 */
export const shapeTypeNames = [
  'Number',
  'Text',
  'Image',
  'Audio',
  'Video',
  'File',
  'Enum',
  'ListOfNumbers',
  'ListOfTexts',
  'ListOfImages',
  'ListOfAudio',
  'ListOfVideo',
  'ListOfFiles',
] as const;

export const ShapeType = z.enum(shapeTypeNames).meta({
  id: 'ShapeType',
  description:
    'Type of a slot. Image, Audio, Video and File slots (and their lists) hold integer file ids from POST /v1/files.',
});
export type ShapeType = z.infer<typeof ShapeType>;

/** Nextcloud's integer value of each EShapeType case. */
export const shapeTypeCodes: Record<ShapeType, number> = {
  Number: 0,
  Text: 1,
  Image: 2,
  Audio: 3,
  Video: 4,
  File: 5,
  Enum: 6,
  ListOfNumbers: 10,
  ListOfTexts: 11,
  ListOfImages: 12,
  ListOfAudio: 13,
  ListOfVideo: 14,
  ListOfFiles: 15,
};

const fileShapeTypes: ReadonlySet<ShapeType> = new Set(['Image', 'Audio', 'Video', 'File']);
const fileListShapeTypes: ReadonlySet<ShapeType> = new Set(['ListOfImages', 'ListOfAudio', 'ListOfVideo', 'ListOfFiles']);

/** True for slot types whose values are file ids (single or list). */
export function isFileShapeType(type: ShapeType): boolean {
  return fileShapeTypes.has(type) || fileListShapeTypes.has(type);
}

/** True for the list slot types. */
export function isListShapeType(type: ShapeType): boolean {
  return type.startsWith('ListOf');
}

export const ShapeDescriptor = z
  .object({
    name: storableText().min(1).max(200).describe('Human-readable name of the slot'),
    description: storableText().max(2000).describe('Human-readable description of the slot'),
    type: ShapeType,
  })
  .strict()
  .meta({ id: 'ShapeDescriptor', description: 'One slot of an input or output shape' });
export type ShapeDescriptor = z.infer<typeof ShapeDescriptor>;

/** Slot keys: identifiers as Nextcloud uses them (`input`, `numberOfImages`, `origin_language`). */
export const SlotKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'slot keys are letters, digits and underscores, starting with a letter');

export const Shape = recordOf(SlotKey, ShapeDescriptor).meta({
  id: 'Shape',
  description: 'A shape: slot key -> slot descriptor',
});
export type Shape = z.infer<typeof Shape>;

export const ShapeEnumValue = z
  .object({
    name: storableText().min(1).max(200).describe('Human-readable label'),
    value: storableText().min(1).max(200).describe('The value sent in the task input or output'),
  })
  .strict()
  .meta({ id: 'ShapeEnumValue', description: 'One allowed value of an Enum slot' });
export type ShapeEnumValue = z.infer<typeof ShapeEnumValue>;

/** Enum values per slot key. */
export const ShapeEnumValues = recordOf(SlotKey, z.array(ShapeEnumValue).max(1000)).meta({ id: 'ShapeEnumValues' });
export type ShapeEnumValues = z.infer<typeof ShapeEnumValues>;

/** Defaults per slot key. Only Text and Number slots take defaults (as in Nextcloud). */
export const ShapeDefaults = recordOf(SlotKey, z.union([storableText(), z.number()])).meta({ id: 'ShapeDefaults' });
export type ShapeDefaults = z.infer<typeof ShapeDefaults>;

/** A slot value in task input or output: numbers, texts, file ids, or lists of them. */
export const SlotValue = z
  .union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))])
  .meta({ id: 'SlotValue' });
export type SlotValue = z.infer<typeof SlotValue>;

/**
 * Any JSON object, kept exactly as sent: the slots are checked against the shapes by
 * validateSlots (422 naming the slot), not here. Not a z.record: that drops a `"__proto__"` key
 * (an own property after JSON.parse) silently, where it must be refused as an unknown slot.
 */
export const SlotValues = z
  .custom<Record<string, unknown>>(isJsonObject, { message: 'must be an object: slot key -> value' })
  .refine((v) => isWithinDepth(v), { message: `values nest at most ${maxJsonDepth} deep (a slot value is a number, a text or a list of them)` })
  .meta({
    id: 'SlotValues',
    description: 'Task input or output: slot key -> value (number, text, file id, or a list of them)',
    // A custom schema has no JSON Schema of its own: this is what the record it replaces produced.
    type: 'object',
    additionalProperties: {},
  });
export type SlotValues = Record<string, unknown>;
