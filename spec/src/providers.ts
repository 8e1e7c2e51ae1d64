import { z } from 'zod';
import { storableText } from './safe-values.ts';
import { Shape, ShapeDefaults, ShapeEnumValues } from './shapes.ts';
import { TaskType, TaskTypeId } from './task-types.ts';

/** Provider ids: what `PUT /v1/providers/{providerId}` names, e.g. `openai:summary`. */
export const ProviderId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'provider ids are letters, digits and . _ : -')
  .meta({ id: 'ProviderId', example: 'openai:summary' });

/**
 * What a provider declares when it registers: Nextcloud's `IProvider` (name, task type, expected
 * runtime, defaults, optional slots and enum values), and optionally a custom task type it brings.
 */
export const ProviderDescriptor = z
  .object({
    name: storableText().min(1).max(200).describe('Name shown to users'),
    taskType: TaskTypeId.describe('The task type this provider serves'),
    expectedRuntime: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(60)
      .describe('Seconds one task usually takes; estimates completionExpectedAt until the provider has run tasks recently'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('Tasks one process of this provider runs at once (the SDK sends its concurrency; absent: 1); counted as slots in the stats, not enforced'),
    inputShapeDefaults: ShapeDefaults.default({}).describe('Defaults for Text and Number input slots'),
    optionalInputShape: Shape.default({}).describe('Extra input slots this provider accepts'),
    optionalInputShapeDefaults: ShapeDefaults.default({}).describe('Defaults for optional Text and Number input slots'),
    optionalOutputShape: Shape.default({}).describe('Extra output slots this provider may fill'),
    inputShapeEnumValues: ShapeEnumValues.default({}).describe('Allowed values of Enum input slots'),
    optionalInputShapeEnumValues: ShapeEnumValues.default({}).describe('Allowed values of optional Enum input slots'),
    outputShapeEnumValues: ShapeEnumValues.default({}).describe('Allowed values of Enum output slots'),
    optionalOutputShapeEnumValues: ShapeEnumValues.default({}).describe('Allowed values of optional Enum output slots'),
    customTaskType: TaskType.optional().describe(
      'A task type this provider brings; its id must equal taskType and must not be a built-in type',
    ),
  })
  .strict()
  .meta({ id: 'ProviderDescriptor' });
export type ProviderDescriptor = z.infer<typeof ProviderDescriptor>;
export type ProviderDescriptorInput = z.input<typeof ProviderDescriptor>;

export const Provider = ProviderDescriptor.omit({ customTaskType: true })
  .extend({
    id: ProviderId,
    appId: z.string().describe('App id of the provider token that registered it'),
    registeredAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime().nullable().describe('Last claim or heartbeat from this provider'),
    live: z.boolean().describe('Whether the provider polled recently enough to be handed work (TASKPROC_PROVIDER_LIVENESS_MS)'),
    runningTasks: z.number().int().min(0).describe('Tasks the provider holds now (its busy slots)'),
    recent: z
      .object({
        windowSeconds: z.number().int(),
        successful: z.number().int().min(0),
        failed: z.number().int().min(0),
      })
      .describe('Tasks the provider ended in the last hour'),
  })
  .meta({ id: 'Provider' });
export type Provider = z.infer<typeof Provider>;

export const ProviderList = z.object({ providers: z.array(Provider) }).meta({ id: 'ProviderList' });
