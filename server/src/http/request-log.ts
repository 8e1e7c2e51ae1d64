import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { AppEnv } from './env.ts';

/**
 * One JSON log line and one histogram observation per request: method, route (the path
 * template, so ids do not explode the label set), status, duration, request id and the caller's
 * app. Long-polls and streams are timed to their answer's headers.
 */
export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      const route = routeOf(c);
      const status = c.res.status;
      metrics.httpRequest(c.req.method, route, status, ms / 1000);
      const principal = c.get('principal');
      logger.info(
        {
          method: c.req.method,
          route,
          status,
          durationMs: Math.round(ms * 100) / 100,
          requestId: c.get('requestId'),
          ...(principal ? { appId: principal.appId, role: principal.role } : {}),
        },
        'request',
      );
    }
  };
}

// The handler's route, not a middleware's (those are registered for every method as '*' paths).
function routeOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return handler ? handler.path : 'unmatched';
}
