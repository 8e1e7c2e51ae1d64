import type { MiddlewareHandler } from 'hono';
import type { TokenRole } from '@taskproc/spec';
import type { Database } from '../db/create-db.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import type { PrincipalCache } from './principal-cache.ts';
import { touchToken } from './tokens.ts';

export interface RequireAuthOptions {
  db: Database;
  principals: PrincipalCache;
  /** Roles allowed through; admin is always allowed. */
  roles: readonly TokenRole[];
  now: () => Date;
}

// lastUsedAt is for operators reading `token list`; minute precision spares a write per request.
const touchEveryMs = 60_000;

/** Bearer-token middleware: 401 without a live token, 403 when the role may not use the route. */
export function requireAuth(options: RequireAuthOptions): MiddlewareHandler<AppEnv> {
  return async function requireAuthMiddleware(c, next) {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      throw new ApiError('unauthorized', 'send an Authorization: Bearer <token> header', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const principal = await options.principals.find(options.db, match[1]!);
    if (!principal) {
      throw new ApiError('unauthorized', 'the bearer token is unknown or revoked', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (principal.role !== 'admin' && !options.roles.includes(principal.role)) {
      throw new ApiError('forbidden', `a ${principal.role} token may not call ${c.req.method} ${c.req.path}`);
    }
    const now = options.now();
    if (!principal.lastUsedAt || now.getTime() - principal.lastUsedAt.getTime() > touchEveryMs) {
      await touchToken(options.db, principal.tokenId, now);
      options.principals.touched(principal.tokenId, now);
    }
    c.set('principal', { tokenId: principal.tokenId, role: principal.role, appId: principal.appId });
    await next();
  };
}
