import type { SlotRules, TaskType } from '@taskproc/spec';
import type { StoredDescriptor } from './provider-rows.ts';

/** What task input is checked against: the type's input shape plus the provider's additions. */
export function inputRules(type: TaskType, provider: StoredDescriptor | undefined): SlotRules {
  return {
    shape: type.inputShape,
    optionalShape: provider?.optionalInputShape ?? {},
    enumValues: { ...provider?.inputShapeEnumValues, ...provider?.optionalInputShapeEnumValues },
    defaults: { ...provider?.inputShapeDefaults, ...provider?.optionalInputShapeDefaults },
  };
}

/** What a provider's output is checked against. Outputs take no defaults. */
export function outputRules(type: TaskType, provider: StoredDescriptor | undefined): SlotRules {
  return {
    shape: type.outputShape,
    optionalShape: provider?.optionalOutputShape ?? {},
    enumValues: { ...provider?.outputShapeEnumValues, ...provider?.optionalOutputShapeEnumValues },
    defaults: {},
  };
}
