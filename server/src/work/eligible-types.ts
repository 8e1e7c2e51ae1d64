import { isLive, type ProviderRow } from '../providers/provider-rows.ts';
import type { TypeProviders } from '../providers/provider-order.ts';

/**
 * Which task types a claim may take, and for which of the requested providers. A provider gets a
 * type's tasks only when every provider ahead of it in the preference order is not live; the
 * requester is live by definition (it is polling right now).
 */
export function eligibleTypes(
  requested: readonly ProviderRow[],
  byType: ReadonlyMap<string, TypeProviders>,
  now: Date,
  livenessMs: number,
): Map<string, string> {
  const result = new Map<string, string>();
  const requestedIds = new Set(requested.map((p) => p.id));
  // Disabled types are not skipped: disabling stops new scheduling, what was queued still drains.
  for (const [typeId, type] of byType) {
    for (const provider of type.ordered) {
      if (requestedIds.has(provider.id)) {
        result.set(typeId, provider.id);
        break;
      }
      if (isLive(provider, now, livenessMs)) break;
    }
  }
  return result;
}
