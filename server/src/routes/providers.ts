import { createRoute } from '@hono/zod-openapi';
import { providerRoutes } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/tokens.ts';
import { ApiError, notFound } from '../errors.ts';
import { createRouter } from '../http/create-router.ts';
import { deleteProvider } from '../providers/delete-provider.ts';
import { listProviders } from '../providers/list-providers.ts';
import { loadProviderActivity } from '../providers/provider-activity.ts';
import { toProviderJson } from '../providers/provider-rows.ts';
import { registerProvider } from '../providers/register-provider.ts';
import { announceProvidersChanged, announceTaskTypeChanged } from '../signals/cache-invalidation.ts';

/** The app whose providers a token manages; null (every app) for admin tokens. */
function appScope(principal: Principal): string | null {
  if (principal.role === 'admin') return null;
  // Tokens are created with an app id for every role but admin; refuse rather than widen the scope.
  if (principal.appId === null) throw new ApiError('forbidden', 'this token is bound to no app');
  return principal.appId;
}

/**
 * Provider registration. Provider tokens register, replace and delete the providers of their own
 * app; admin tokens may do so for any provider. Listing is also open to app tokens: apps already
 * see provider ids and preference in GET /v1/task-types, and liveness helps them tell "slow" from
 * "nobody is serving this type". Descriptors hold nothing secret.
 */
export function createProvidersRoutes(deps: Deps) {
  const app = createRouter();
  const { db, now } = deps;
  const livenessMs = deps.config.TASKPROC_PROVIDER_LIVENESS_MS;
  const providersOnly = requireRole(['provider']);
  const anyRole = requireRole(['provider', 'app']);

  app.openapi(
    createRoute({ ...providerRoutes.register, middleware: [providersOnly] as const }),
    async (c) => {
      const descriptor = c.req.valid('json');
      const { row, created, taskTypeChanged } = await registerProvider(db.db, {
        id: c.req.valid('param').providerId,
        appId: appScope(c.get('principal')),
        descriptor,
        now: now(),
      });
      if (taskTypeChanged) {
        deps.taskTypes.clear();
        await announceTaskTypeChanged(db, descriptor.taskType);
      }
      await announceProvidersChanged(db, deps, row.id);
      return c.json(toProviderJson(row, now(), livenessMs), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({ ...providerRoutes.delete, middleware: [providersOnly] as const }),
    async (c) => {
      const { providerId } = c.req.valid('param');
      const deleted = await deleteProvider(db.db, providerId, appScope(c.get('principal')));
      if (!deleted) throw notFound(`provider "${providerId}"`);
      await announceProvidersChanged(db, deps, providerId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ ...providerRoutes.list, middleware: [anyRole] as const }),
    async (c) => {
      const principal = c.get('principal');
      // Sightings are written once a second: write this process's now, so the listing is current.
      await deps.providers.flushSeen(db);
      const at = now();
      const [rows, activity] = await Promise.all([
        listProviders(db.db, principal.role === 'provider' ? appScope(principal) : null),
        loadProviderActivity(db, at),
      ]);
      return c.json({ providers: rows.map((row) => toProviderJson(row, at, livenessMs, activity.get(row.id))) }, 200);
    },
  );

  return app;
}
