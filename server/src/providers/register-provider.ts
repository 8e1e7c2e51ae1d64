import { isDeepStrictEqual } from 'node:util';
import { eq } from 'drizzle-orm';
import type { ProviderDescriptor, TaskType } from '@taskproc/spec';
import type { Database, Executor } from '../db/create-db.ts';
import { customTaskTypes, providers } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { checkDescriptor } from './check-descriptor.ts';
import type { ProviderRow, StoredDescriptor } from './provider-rows.ts';
import { findTaskType, isBuiltInTaskType } from './task-type-catalog.ts';

/** App id of providers an admin token registers fresh (admin tokens are bound to no app). */
export const adminProviderAppId = 'admin';

export interface RegisterProviderOptions {
  id: string;
  /** App id of the registering token; null for admin tokens, which may register or overwrite any id. */
  appId: string | null;
  descriptor: ProviderDescriptor;
  now: Date;
}

export interface RegisteredProvider {
  row: ProviderRow;
  /** True when the id was new (201), false when an existing registration was replaced (200). */
  created: boolean;
  /** True when this registration created or changed a custom task type (caches must drop it). */
  taskTypeChanged: boolean;
}

/**
 * `PUT /v1/providers/{id}`: an idempotent upsert. Provider processes call it on every start, so
 * re-registering the same descriptor must change nothing but `lastSeenAt`; `registeredAt` is kept,
 * because registration order is the fallback preference order and a restart must not demote a
 * provider. Everything (ownership check, custom task type, provider row) happens in one
 * transaction, so a refused registration leaves no trace.
 */
export async function registerProvider(db: Database, options: RegisterProviderOptions): Promise<RegisteredProvider> {
  const { id, appId, descriptor, now } = options;
  return db.transaction(async (tx) => {
    // The row lock serialises concurrent registrations of one id (a provider restarting twice).
    const [existing] = await tx.select().from(providers).where(eq(providers.id, id)).for('update');
    if (existing && appId !== null && existing.appId !== appId) {
      throw new ApiError('provider_conflict', `provider id "${id}" is registered by another app`);
    }
    const ownerAppId = appId ?? existing?.appId ?? adminProviderAppId;

    const saved = descriptor.customTaskType
      ? await saveCustomTaskType(tx, id, descriptor.taskType, descriptor.customTaskType)
      : undefined;
    // Read from the database, not the cache: the check must see what this transaction locks.
    const type = saved?.type ?? (await findTaskType(tx, descriptor.taskType))?.type;
    if (!type) {
      throw new ApiError(
        'unknown_task_type',
        `task type "${descriptor.taskType}" is not built in and no provider defined it; send customTaskType to define it`,
        { field: 'json.taskType' },
      );
    }
    checkDescriptor(type, descriptor);

    const { customTaskType: _custom, ...stored } = descriptor;
    const fields = {
      appId: ownerAppId,
      taskType: descriptor.taskType,
      descriptor: stored satisfies StoredDescriptor,
      // Registering counts as a sign of life: a provider registers right before it starts
      // polling, so it is preferred at once instead of waiting for its first claim. One that
      // registers and never polls stops counting as live after the liveness window, exactly like
      // one that polled once and died.
      lastSeenAt: now,
    };
    const [row] = await tx
      .insert(providers)
      .values({ id, registeredAt: now, ...fields })
      .onConflictDoUpdate({ target: providers.id, set: fields, setWhere: eq(providers.appId, ownerAppId) })
      .returning();
    // No row: another app created this id between our read and our insert.
    if (!row) throw new ApiError('provider_conflict', `provider id "${id}" is registered by another app`);
    return { row, created: !existing, taskTypeChanged: saved?.changed ?? false };
  });
}

/**
 * Stores the custom task type a provider brings and returns it. A custom type belongs to the
 * provider that defined it first: that provider may change it, others may serve it only with an
 * identical definition (so two providers never disagree on a type's shapes). When the defining
 * provider has been deleted, the next provider to send a definition adopts the type.
 */
async function saveCustomTaskType(
  tx: Executor,
  providerId: string,
  taskType: string,
  custom: TaskType,
): Promise<{ type: TaskType; changed: boolean }> {
  if (custom.id !== taskType) {
    throw new ApiError('invalid_provider', `customTaskType.id "${custom.id}" must equal taskType "${taskType}"`, {
      field: 'json.customTaskType.id',
    });
  }
  if (isBuiltInTaskType(custom.id)) {
    throw new ApiError('task_type_conflict', `"${custom.id}" is a built-in task type and cannot be redefined`, {
      field: 'json.customTaskType.id',
    });
  }
  let [row] = await tx.select().from(customTaskTypes).where(eq(customTaskTypes.id, custom.id)).for('update');
  if (!row) {
    const inserted = await tx
      .insert(customTaskTypes)
      .values({ id: custom.id, definition: custom, providerId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length > 0) return { type: custom, changed: true };
    // Defined concurrently by another registration: compare with what it stored.
    [row] = await tx.select().from(customTaskTypes).where(eq(customTaskTypes.id, custom.id));
    if (!row) throw new Error(`custom task type ${custom.id} vanished during registration`);
  }
  if (isDeepStrictEqual(row.definition, custom)) return { type: custom, changed: false };
  const definerGone =
    row.providerId !== providerId &&
    (await tx.select({ id: providers.id }).from(providers).where(eq(providers.id, row.providerId))).length === 0;
  if (row.providerId !== providerId && !definerGone) {
    throw new ApiError(
      'task_type_conflict',
      `task type "${custom.id}" is defined differently by provider "${row.providerId}"`,
      { field: 'json.customTaskType' },
    );
  }
  await tx.update(customTaskTypes).set({ definition: custom, providerId }).where(eq(customTaskTypes.id, custom.id));
  return { type: custom, changed: true };
}
