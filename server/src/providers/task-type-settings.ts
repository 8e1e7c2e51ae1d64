import { eq, inArray } from 'drizzle-orm';
import type { TaskTypeSettings } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { providers, taskTypeSettings } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { findTaskType } from './task-type-catalog.ts';

async function requireKnownType(db: Executor, typeId: string): Promise<void> {
  if (!(await findTaskType(db, typeId))) {
    throw new ApiError('unknown_task_type', `task type "${typeId}" is not built in and no provider defined it`, {
      field: 'param.typeId',
    });
  }
}

/** An admin's settings of a known task type; the defaults (enabled, no preference) when never set. */
export async function loadTaskTypeSettings(db: Executor, typeId: string): Promise<TaskTypeSettings> {
  await requireKnownType(db, typeId);
  const [row] = await db.select().from(taskTypeSettings).where(eq(taskTypeSettings.typeId, typeId)).limit(1);
  return { enabled: row?.enabled ?? true, preferredProviders: row?.preferredProviders ?? [] };
}

/**
 * Replaces the settings of a known task type. Every preferred provider must be registered for
 * this type: a typo would otherwise be kept silently and the preference never apply. A provider
 * deleted later simply drops out of the order (provider-order.ts skips ids it does not find).
 */
export async function saveTaskTypeSettings(
  db: Executor,
  typeId: string,
  settings: TaskTypeSettings,
  now: Date,
): Promise<TaskTypeSettings> {
  await requireKnownType(db, typeId);
  const preferred = settings.preferredProviders;
  const duplicate = preferred.findIndex((id, i) => preferred.indexOf(id) !== i);
  if (duplicate !== -1) {
    throw new ApiError('invalid_request', `preferredProviders lists "${preferred[duplicate]}" twice`, {
      field: `json.preferredProviders.${duplicate}`,
    });
  }
  const rows =
    preferred.length === 0
      ? []
      : await db
          .select({ id: providers.id, taskType: providers.taskType })
          .from(providers)
          .where(inArray(providers.id, preferred));
  for (const [i, id] of preferred.entries()) {
    const row = rows.find((r) => r.id === id);
    const field = `json.preferredProviders.${i}`;
    if (!row) throw new ApiError('unknown_provider', `provider "${id}" is not registered`, { field });
    if (row.taskType !== typeId) {
      throw new ApiError('unknown_provider', `provider "${id}" serves "${row.taskType}", not "${typeId}"`, { field });
    }
  }
  const values = { enabled: settings.enabled, preferredProviders: preferred, updatedAt: now };
  await db
    .insert(taskTypeSettings)
    .values({ typeId, ...values })
    .onConflictDoUpdate({ target: taskTypeSettings.typeId, set: values });
  return { enabled: settings.enabled, preferredProviders: preferred };
}
