import { adminRoutes, PermissionDeniedError } from '@taskproc/spec';
import type { Connection } from '../api/connection.ts';

export type Role = 'admin' | 'app' | 'provider';

/**
 * The token's role, found by asking what it may do: the API has no "who am I" route, and
 * answering 403 to a role that may not use a route is part of the protocol. Admin first (only
 * admins list tokens), then app (only apps and admins list task types); what remains is a
 * provider. A token the coordinator does not accept throws AuthenticationError.
 */
export async function detectRole(connection: Connection): Promise<Role> {
  if (await allowed(() => connection.call(adminRoutes.listTokens, {}))) return 'admin';
  if (await allowed(() => connection.client.taskTypes())) return 'app';
  return 'provider';
}

async function allowed(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (err instanceof PermissionDeniedError) return false;
    throw err;
  }
}
