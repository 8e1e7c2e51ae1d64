import type { AvailableTaskType } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { loadTypeProviders, servingProvider, type TypeProviders } from '../providers/provider-order.ts';
import { descriptorOf } from '../providers/provider-rows.ts';
import { loadTaskTypes, type KnownTaskType } from '../providers/task-type-catalog.ts';

export interface ListTaskTypesOptions {
  /** Also types no provider serves (their provider additions are empty). */
  all: boolean;
  now: Date;
  livenessMs: number;
}

/**
 * Task types as apps see them (Nextcloud's getAvailableTaskTypes): each type's shapes with what
 * its serving provider adds, the same provider scheduling validates input against. Sorted by id.
 */
export async function listTaskTypes(db: Executor, options: ListTaskTypesOptions): Promise<AvailableTaskType[]> {
  const known = await loadTaskTypes(db);
  const providersByType = await loadTypeProviders(db, [...known.keys()]);
  const result: AvailableTaskType[] = [];
  for (const [id, type] of known) {
    const typeProviders = providersByType.get(id)!;
    if (!options.all && typeProviders.ordered.length === 0) continue;
    result.push(toAvailableTaskType(type, typeProviders, options));
  }
  return result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function toAvailableTaskType(
  known: KnownTaskType,
  typeProviders: TypeProviders,
  options: ListTaskTypesOptions,
): AvailableTaskType {
  const serving = servingProvider(typeProviders, options.now, options.livenessMs);
  const p = serving ? descriptorOf(serving) : undefined;
  return {
    id: known.type.id,
    name: known.type.name,
    description: known.type.description,
    builtIn: known.builtIn,
    internal: known.type.internal ?? false,
    enabled: typeProviders.enabled,
    providerId: serving?.id ?? null,
    providerIds: typeProviders.ordered.map((row) => row.id),
    inputShape: known.type.inputShape,
    inputShapeDefaults: p?.inputShapeDefaults ?? {},
    inputShapeEnumValues: p?.inputShapeEnumValues ?? {},
    optionalInputShape: p?.optionalInputShape ?? {},
    optionalInputShapeDefaults: p?.optionalInputShapeDefaults ?? {},
    optionalInputShapeEnumValues: p?.optionalInputShapeEnumValues ?? {},
    outputShape: known.type.outputShape,
    outputShapeEnumValues: p?.outputShapeEnumValues ?? {},
    optionalOutputShape: p?.optionalOutputShape ?? {},
    optionalOutputShapeEnumValues: p?.optionalOutputShapeEnumValues ?? {},
  };
}
