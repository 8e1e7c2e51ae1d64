import type { ShapeEnumValue } from '@taskproc/spec';

/**
 * The tones offered as Enum values of `tone`: those of nextcloud/integration_openai's
 * ChangeToneProvider (which spells the first value "friendler"; corrected here). Each value is
 * a phrase the prompt uses as it is, so the coordinator's enum check is the only validation.
 */
export const toneEnumValues: ShapeEnumValue[] = [
  { name: 'Friendlier', value: 'friendlier' },
  { name: 'More formal', value: 'more formal' },
  { name: 'Funnier', value: 'funnier' },
  { name: 'More casual', value: 'more casual' },
  { name: 'More urgent', value: 'more urgent' },
];
