import type { Principal } from '../auth/tokens.ts';
import type { Executor } from '../db/create-db.ts';
import { ApiError } from '../errors.ts';
import type { ProviderDirectory } from '../providers/provider-directory.ts';
import type { ProvidersWithTypes } from '../providers/provider-order.ts';
import type { ProviderRow } from '../providers/provider-rows.ts';

/** May this principal act as this provider? Providers belong to the app of the token that registered them. */
export function mayActAs(principal: Principal, provider: ProviderRow): boolean {
  return principal.role === 'admin' || provider.appId === principal.appId;
}

/**
 * The requested providers, all registered and all the caller's, with the providers and settings
 * of their task types (the claim's first look at the preference order), from the provider directory.
 * An unknown id and another app's id get the same 404, so provider ids of other apps cannot be probed.
 */
export async function loadOwnProviders(
  directory: ProviderDirectory,
  db: Executor,
  principal: Principal,
  ids: readonly string[],
): Promise<ProvidersWithTypes> {
  const unique = [...new Set(ids)];
  const loaded = await directory.providersWithTypes(db, unique);
  for (const id of unique) {
    const row = loaded.found.find((r) => r.id === id);
    if (!row || !mayActAs(principal, row)) {
      throw new ApiError('not_found', `provider "${id}" is not registered for this token's app; register it with PUT /v1/providers/${id}`, {
        field: 'json.providerIds',
      });
    }
  }
  return loaded;
}
