import { z } from 'zod';
import { storableText } from './safe-values.ts';
import { Shape } from './shapes.ts';

/** Task type ids: `namespace:name[:variant]`, as Nextcloud's (`core:text2text:summary`, `myapp:audio2spectrogram`). */
export const TaskTypeId = z
  .string()
  .min(3)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)+$/, 'task type ids look like "namespace:name", e.g. "core:text2text"')
  .meta({ id: 'TaskTypeId', example: 'core:text2text:summary' });

export const TaskType = z
  .object({
    id: TaskTypeId,
    name: storableText().min(1).max(200),
    description: storableText().max(2000),
    inputShape: Shape,
    outputShape: Shape,
    internal: z
      .boolean()
      .optional()
      .describe(
        'True for a type Nextcloud marks internal (its IInternalTaskType, Nextcloud 33 and later): user-facing ' +
          'pickers such as the Assistant hide it, while apps can still schedule it. Absent means false.',
      ),
  })
  .strict()
  .meta({ id: 'TaskType', description: 'A task type: what goes in and what comes out' });
export type TaskType = z.infer<typeof TaskType>;
