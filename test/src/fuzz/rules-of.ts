import type { AvailableTaskType, Provider, SlotRules } from '@taskproc/spec';

// The rules a task's input and output are checked against, built from what the API itself
// tells (GET /v1/task-types, GET /v1/providers), the same way the coordinator merges them: the
// fuzz both generates valid values from them and checks accepted tasks against them.

/** Input rules of a listed type: its input shape plus the serving provider's additions. */
export function inputRulesOf(type: AvailableTaskType): SlotRules {
  return {
    shape: type.inputShape,
    optionalShape: type.optionalInputShape,
    enumValues: { ...type.inputShapeEnumValues, ...type.optionalInputShapeEnumValues },
    defaults: { ...type.inputShapeDefaults, ...type.optionalInputShapeDefaults },
  };
}

/** Output rules of a listed type for the provider that reports (`provider` undefined: the type's alone). */
export function outputRulesOf(type: AvailableTaskType, provider: Provider | undefined): SlotRules {
  return {
    shape: type.outputShape,
    optionalShape: provider?.optionalOutputShape ?? {},
    enumValues: { ...provider?.outputShapeEnumValues, ...provider?.optionalOutputShapeEnumValues },
    defaults: {},
  };
}
