import { isFileShapeType, isListShapeType, type AvailableTaskType, type ShapeEnumValue, type ShapeType } from '@taskproc/spec';
import { itemTypeOf } from '../../shape-types.ts';

/** One input slot of a task type as the form shows it: the type's shape plus the provider's additions. */
export interface SlotSpec {
  key: string;
  name: string;
  description: string;
  type: ShapeType;
  /** From the provider's optionalInputShape. */
  optional: boolean;
  /** The provider's default (Text and Number slots only); the API fills it in when the slot is left out. */
  defaultValue: string | number | undefined;
  /** The provider's values of an Enum slot. */
  enumValues: ShapeEnumValue[] | undefined;
}

/** A value the form holds for one item: text as typed (numbers too), a chosen file, or nothing. */
export type ItemValue = string | File | null;
export type FieldValue = ItemValue | ItemValue[];

export function slotsOf(type: AvailableTaskType): SlotSpec[] {
  const of = (optional: boolean) => (entry: [string, AvailableTaskType['inputShape'][string]]): SlotSpec => {
    const [key, descriptor] = entry;
    return {
      key,
      name: descriptor.name,
      description: descriptor.description,
      type: descriptor.type,
      optional,
      defaultValue: (optional ? type.optionalInputShapeDefaults : type.inputShapeDefaults)[key],
      enumValues: (optional ? type.optionalInputShapeEnumValues : type.inputShapeEnumValues)[key],
    };
  };
  return [...Object.entries(type.inputShape).map(of(false)), ...Object.entries(type.optionalInputShape).map(of(true))];
}

export function initialValue(slot: SlotSpec): FieldValue {
  if (isListShapeType(slot.type)) return [emptyItem(itemTypeOf(slot.type))];
  if (isFileShapeType(slot.type)) return null;
  return slot.defaultValue === undefined ? '' : String(slot.defaultValue);
}

export function emptyItem(type: ShapeType): ItemValue {
  return isFileShapeType(type) ? null : '';
}

/** An upload that failed, with the slot it was for, so the API's message lands on that field. */
export class SlotUploadError extends Error {
  constructor(
    readonly slot: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The task input from the form, files uploaded first. Empty fields are left out, not sent
 * empty: the API then applies the provider's defaults and names a required slot that is
 * missing, in its own words.
 */
export async function buildInput(
  slots: SlotSpec[],
  values: Record<string, FieldValue>,
  upload: (file: File) => Promise<number>,
): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  const convert = async (slot: SlotSpec, type: ShapeType, item: ItemValue): Promise<unknown> => {
    if (item instanceof File) {
      try {
        return await upload(item);
      } catch (err) {
        throw new SlotUploadError(slot.key, err);
      }
    }
    return type === 'Number' && item !== null ? numberOrText(item) : item;
  };
  for (const slot of slots) {
    const value = values[slot.key];
    if (Array.isArray(value)) {
      const items = value.filter(isFilled);
      if (items.length === 0) continue;
      const type = itemTypeOf(slot.type);
      const converted: unknown[] = [];
      for (const item of items) converted.push(await convert(slot, type, item));
      input[slot.key] = converted;
    } else if (value !== undefined && isFilled(value)) {
      input[slot.key] = await convert(slot, slot.type, value);
    }
  }
  return input;
}

function isFilled(item: ItemValue): boolean {
  return item instanceof File || (typeof item === 'string' && item !== '');
}

/**
 * A number field's value: the number it reads as, else the text as typed. The field is a text
 * field, not type="number" (which reports text it cannot read as empty), so the API sees what
 * was typed and its message says what is wrong with it.
 */
export function numberOrText(text: string): number | string {
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/**
 * `upload` made to upload each file once: a form sent again after a refusal sends the ids of
 * the files it already uploaded. A failed upload is forgotten, so the next send tries again.
 */
export function uploadOnce(upload: (file: File) => Promise<number>): (file: File) => Promise<number> {
  const uploads = new WeakMap<File, Promise<number>>();
  return (file) => {
    const known = uploads.get(file);
    if (known) return known;
    const started = upload(file);
    uploads.set(file, started);
    started.catch(() => uploads.delete(file));
    return started;
  };
}
