import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '../db/create-db.ts';
import { providers, taskTypeSettings } from '../db/schema.ts';
import { isLive, type ProviderRow } from './provider-rows.ts';

export interface TypeProviders {
  enabled: boolean;
  /** Providers of the type in preference order: the admin's list first, then by registration. */
  ordered: ProviderRow[];
}

/** Sorts a type's providers: admin preference first, then first registered first. */
export function orderProviders(rows: ProviderRow[], preferred: readonly string[]): ProviderRow[] {
  const rank = (id: string) => {
    const i = preferred.indexOf(id);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...rows].sort(
    (a, b) =>
      rank(a.id) - rank(b.id) ||
      a.registeredAt.getTime() - b.registeredAt.getTime() ||
      a.id.localeCompare(b.id),
  );
}

/** Providers and settings of the given task types. */
export async function loadTypeProviders(db: Executor, typeIds: readonly string[]): Promise<Map<string, TypeProviders>> {
  if (typeIds.length === 0) return new Map();
  const [rows, settings] = await Promise.all([
    db.select().from(providers).where(inArray(providers.taskType, [...typeIds])).orderBy(asc(providers.registeredAt)),
    db.select().from(taskTypeSettings).where(inArray(taskTypeSettings.typeId, [...typeIds])),
  ]);
  return groupByType(typeIds, rows, new Map(settings.map((s) => [s.typeId, s])));
}

export interface ProvidersWithTypes {
  /** The rows of the asked ids that exist (missing ids are simply absent). */
  found: ProviderRow[];
  /** Every task type a found provider serves, with all of its providers and its settings. */
  byType: Map<string, TypeProviders>;
}

export function groupByType(
  typeIds: readonly string[],
  rows: readonly ProviderRow[],
  settings: ReadonlyMap<string, { enabled: boolean; preferredProviders: string[] }>,
): Map<string, TypeProviders> {
  const result = new Map<string, TypeProviders>();
  for (const typeId of typeIds) {
    const setting = settings.get(typeId);
    result.set(typeId, {
      enabled: setting?.enabled ?? true,
      ordered: orderProviders(
        rows.filter((r) => r.taskType === typeId),
        setting?.preferredProviders ?? [],
      ),
    });
  }
  return result;
}

/**
 * The provider that tasks of a type go to now: the first live one in preference order, or the
 * first one at all when none is live (its tasks wait for it). Undefined when none is registered.
 */
export function servingProvider(type: TypeProviders, now: Date, livenessMs: number): ProviderRow | undefined {
  return type.ordered.find((p) => isLive(p, now, livenessMs)) ?? type.ordered[0];
}
