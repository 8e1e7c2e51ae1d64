import type { Principal } from '../auth/tokens.ts';
import { ApiError } from '../errors.ts';

/**
 * The app id admin tokens act as when they schedule tasks or upload files. Admin tokens are not
 * bound to an app; giving their tasks one fixed owner keeps every task and file owned by an app.
 */
export const adminAppId = 'admin';

/** Whose tasks and files a principal may see: its own app's, or every app's (null) for admin. */
export function appScopeOf(principal: Principal): string | null {
  if (principal.role === 'admin') return null;
  if (!principal.appId) throw new ApiError('forbidden', 'this token is not bound to an app id');
  return principal.appId;
}

/** The app id a principal schedules tasks and uploads files as. */
export function actingAppIdOf(principal: Principal): string {
  return appScopeOf(principal) ?? adminAppId;
}
