import { z } from 'zod';
import { Shape, ShapeDefaults, ShapeEnumValues } from './shapes.ts';
import { TaskTypeId } from './task-types.ts';
import { ProviderId } from './providers.ts';

/**
 * A task type as an app sees it (Nextcloud's `getAvailableTaskTypes()` entry): the type's shapes
 * merged with what its preferred provider adds (optional slots, defaults, enum values).
 */
export const AvailableTaskType = z
  .object({
    id: TaskTypeId,
    name: z.string(),
    description: z.string(),
    builtIn: z.boolean(),
    internal: z
      .boolean()
      .describe("Nextcloud's isInternal: pickers shown to users (the Assistant) should hide the type; apps may schedule it"),
    enabled: z.boolean().describe('False when an admin disabled the type'),
    providerId: ProviderId.nullable().describe('The provider tasks of this type go to first, or null when none'),
    providerIds: z.array(ProviderId).describe('Every registered provider of the type, in preference order'),
    inputShape: Shape,
    inputShapeDefaults: ShapeDefaults,
    inputShapeEnumValues: ShapeEnumValues,
    optionalInputShape: Shape,
    optionalInputShapeDefaults: ShapeDefaults,
    optionalInputShapeEnumValues: ShapeEnumValues,
    outputShape: Shape,
    outputShapeEnumValues: ShapeEnumValues,
    optionalOutputShape: Shape,
    optionalOutputShapeEnumValues: ShapeEnumValues,
  })
  .meta({ id: 'AvailableTaskType' });
export type AvailableTaskType = z.infer<typeof AvailableTaskType>;

export const TaskTypeList = z.object({ types: z.array(AvailableTaskType) }).meta({ id: 'TaskTypeList' });
export type TaskTypeList = z.infer<typeof TaskTypeList>;

export const TaskTypeListQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: every known type, also those without a provider'),
});

/** Admin settings of one task type. */
export const TaskTypeSettings = z
  .object({
    enabled: z.boolean().default(true).describe('Disabled types cannot be scheduled'),
    preferredProviders: z
      .array(ProviderId)
      .max(100)
      .default([])
      .describe('Provider ids in preference order; unlisted providers follow in registration order'),
  })
  .strict()
  .meta({ id: 'TaskTypeSettings' });
export type TaskTypeSettings = z.infer<typeof TaskTypeSettings>;
