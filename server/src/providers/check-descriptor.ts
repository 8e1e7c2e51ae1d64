import type { ProviderDescriptor, Shape, ShapeDefaults, ShapeDescriptor, ShapeEnumValues, TaskType } from '@taskproc/spec';
import { ApiError } from '../errors.ts';

/**
 * Checks that a provider descriptor fits the task type it serves, before anything is stored:
 * scheduling later trusts these additions, so an inconsistent descriptor is refused at
 * registration (422 `invalid_provider`, naming the slot and the descriptor field) rather than
 * surfacing as a confusing error on some app's task.
 *
 * - optional slots must not reuse a slot key of the type (the type's slot would be shadowed);
 * - defaults only for Text and Number slots that exist on that side, with a value of that type;
 * - enum values only for Enum slots that exist on that side, without repeated values.
 */
export function checkDescriptor(type: TaskType, descriptor: ProviderDescriptor): void {
  checkNoOverlap('optionalInputShape', descriptor.optionalInputShape, type.inputShape, 'input');
  checkNoOverlap('optionalOutputShape', descriptor.optionalOutputShape, type.outputShape, 'output');

  checkDefaults('inputShapeDefaults', descriptor.inputShapeDefaults, type.inputShape);
  checkDefaults('optionalInputShapeDefaults', descriptor.optionalInputShapeDefaults, descriptor.optionalInputShape);

  checkEnumValues('inputShapeEnumValues', descriptor.inputShapeEnumValues, type.inputShape);
  checkEnumValues('optionalInputShapeEnumValues', descriptor.optionalInputShapeEnumValues, descriptor.optionalInputShape);
  checkEnumValues('outputShapeEnumValues', descriptor.outputShapeEnumValues, type.outputShape);
  checkEnumValues('optionalOutputShapeEnumValues', descriptor.optionalOutputShapeEnumValues, descriptor.optionalOutputShape);
}

/** A slot the shape declares itself; `shape.constructor` is Object, not a slot. */
function slotOf(shape: Shape, slot: string): ShapeDescriptor | undefined {
  return Object.hasOwn(shape, slot) ? shape[slot] : undefined;
}

function invalid(field: string, slot: string, detail: string): ApiError {
  return new ApiError('invalid_provider', `${field}.${slot}: ${detail}`, { slot, field: `json.${field}.${slot}` });
}

function checkNoOverlap(field: string, optional: Shape, typeShape: Shape, side: string): void {
  for (const slot of Object.keys(optional)) {
    // Own slots only: `slot in typeShape` would find `constructor` on every shape.
    if (Object.hasOwn(typeShape, slot)) throw invalid(field, slot, `the task type already has an ${side} slot "${slot}"`);
  }
}

function checkDefaults(field: string, defaults: ShapeDefaults, shape: Shape): void {
  for (const [slot, value] of Object.entries(defaults)) {
    const descriptor = slotOf(shape, slot);
    if (!descriptor) throw invalid(field, slot, `there is no slot "${slot}" to give a default`);
    if (descriptor.type === 'Text' && typeof value !== 'string') {
      throw invalid(field, slot, `the default of Text slot "${slot}" must be a string`);
    }
    if (descriptor.type === 'Number' && typeof value !== 'number') {
      throw invalid(field, slot, `the default of Number slot "${slot}" must be a number`);
    }
    if (descriptor.type !== 'Text' && descriptor.type !== 'Number') {
      throw invalid(field, slot, `only Text and Number slots take defaults; "${slot}" is ${descriptor.type}`);
    }
  }
}

function checkEnumValues(field: string, enumValues: ShapeEnumValues, shape: Shape): void {
  for (const [slot, values] of Object.entries(enumValues)) {
    const descriptor = slotOf(shape, slot);
    if (!descriptor) throw invalid(field, slot, `there is no slot "${slot}" to give enum values`);
    if (descriptor.type !== 'Enum') {
      throw invalid(field, slot, `only Enum slots take enum values; "${slot}" is ${descriptor.type}`);
    }
    const seen = new Set<string>();
    for (const { value } of values) {
      if (seen.has(value)) throw invalid(field, slot, `the value "${value}" is listed twice`);
      seen.add(value);
    }
  }
}
