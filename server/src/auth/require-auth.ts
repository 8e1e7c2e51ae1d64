import type { MiddlewareHandler } from 'hono';
import type { TokenRole } from '@taskproc/spec';
import type { Database } from '../db/create-db.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import type { PrincipalCache } from './principal-cache.ts';
import { touchToken } from './tokens.ts';

export interface AuthenticateOptions {
  db: Database;
  principals: PrincipalCache;
  now: () => Date;
}

// lastUsedAt is for operators reading `token list`; minute precision spares a write per request.
const touchEveryMs = 60_000;

/**
 * Resolves the bearer token once per request, before any router: 401 without a live token.
 * Every /v1 route needs one; which roles may call a route is `requireRole`'s job, and per-caller
 * policy (rate limits, quotas) reads the principal this sets.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
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
    const now = options.now();
    if (!principal.lastUsedAt || now.getTime() - principal.lastUsedAt.getTime() > touchEveryMs) {
      await touchToken(options.db, principal.tokenId, now);
      options.principals.touched(principal.tokenId, now);
    }
    c.set('principal', { tokenId: principal.tokenId, role: principal.role, appId: principal.appId });
    await next();
  };
}

/** 403 unless the authenticated caller has one of `roles`; admin is always allowed. */
export function requireRole(roles: readonly TokenRole[]): MiddlewareHandler<AppEnv> {
  return async function requireRoleMiddleware(c, next) {
    const principal = c.get('principal');
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ApiError('forbidden', `a ${principal.role} token may not call ${c.req.method} ${c.req.path}`);
    }
    await next();
  };
}

/** Admin tokens only. */
export const adminOnly = requireRole([]);
