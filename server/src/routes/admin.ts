import { createRoute } from '@hono/zod-openapi';
import { adminRoutes } from '@taskproc/spec';
import { adminOnly } from '../auth/require-auth.ts';
import { createToken, listTokens, revokeToken } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { announceProvidersChanged, announceTokenRevoked } from '../signals/cache-invalidation.ts';
import { createRouter } from '../http/create-router.ts';
import { loadTaskTypeSettings, saveTaskTypeSettings } from '../providers/task-type-settings.ts';
import { cleanupNow } from '../retention/cleanup-now.ts';

/** Operator endpoints: tokens, per-type settings, retention. Admin tokens only (no role is listed besides admin). */
export function createAdminRoutes(deps: Deps) {
  const app = createRouter();
  const { db, now } = deps;

  app.openapi(
    createRoute({ ...adminRoutes.createToken, middleware: [adminOnly] as const }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await createToken(db.db, body), 201);
    },
  );

  app.openapi(
    createRoute({ ...adminRoutes.listTokens, middleware: [adminOnly] as const }),
    async (c) => c.json({ tokens: await listTokens(db.db) }, 200),
  );

  app.openapi(
    createRoute({ ...adminRoutes.revokeToken, middleware: [adminOnly] as const }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await revokeToken(db.db, id, now()))) throw notFound(`live token ${id}`);
      // Refused here at once; replicas drop it when the notification, sent before we answer, arrives.
      deps.principals.clear();
      await announceTokenRevoked(db, id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ ...adminRoutes.getTaskTypeSettings, middleware: [adminOnly] as const }),
    async (c) => c.json(await loadTaskTypeSettings(db.db, c.req.valid('param').typeId), 200),
  );

  app.openapi(
    createRoute({ ...adminRoutes.putTaskTypeSettings, middleware: [adminOnly] as const }),
    async (c) => {
      const { typeId } = c.req.valid('param');
      const saved = await saveTaskTypeSettings(db.db, typeId, c.req.valid('json'), now());
      await announceProvidersChanged(db, deps, `settings ${typeId}`);
      return c.json(saved, 200);
    },
  );

  app.openapi(
    createRoute({ ...adminRoutes.cleanup, middleware: [adminOnly] as const }),
    async (c) => c.json(await cleanupNow(deps, c.req.valid('json')), 200),
  );

  return app;
}
