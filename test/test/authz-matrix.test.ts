import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, useInProcessCoordinator } from '../src/index.ts';
import { callers, createCallers, type Caller, type Callers } from '../src/authz/callers.ts';
import { judge, send, servedRoutes, type Expected } from '../src/authz/cells.ts';
import { probes } from '../src/authz/probes.ts';
import { createWorld, type AuthzWorld, type Fresh } from '../src/authz/world.ts';

// Who may call what: every route the app serves, asked by every caller for a concrete resource
// of app A or provider X (see src/authz/probes.ts), against the table below. The table is what
// a secure design requires (DESIGN.md "Who may do what", PROTOCOL.md "Auth"): no token is 401,
// a role that may not use a route is 403, another app's resource is 404 like a missing one.
// A route without a row fails, so does a row for a route the app does not serve.
//
// Order: rows run top to bottom, cells left to right, and no cell relies on another's effects.
// Shared resources are only read, re-registered unchanged, heartbeated or rotated; routes that
// end or remove what they touch get a fresh resource per cell (`fresh` in the probe).

type Row = Record<Caller, Expected>;

/** The three callers that cannot authenticate. A public route lists them as 200 itself. */
const noToken = { anonymous: 401, malformed: 401, revoked: 401 } as const;

const table: Record<string, Row> = {
  'GET /healthz': { anonymous: 200, malformed: 200, revoked: 200, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },
  'GET /openapi.json': { anonymous: 200, malformed: 200, revoked: 200, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },
  'GET /docs': { anonymous: 200, malformed: 200, revoked: 200, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },
  'GET /docs/:asset': { anonymous: 200, malformed: 200, revoked: 200, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },
  // The console loads without a token; it signs in with one, and its API calls are rows below.
  'GET /ui': { anonymous: 200, malformed: 200, revoked: 200, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },
  'GET /ui/:asset': { anonymous: 200, malformed: 200, revoked: 200, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },
  'GET /metrics': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 403, providerY: 403 },

  // App routes. Provider tokens see tasks only through their leases.
  'GET /v1/task-types': { ...noToken, admin: 200, appA: 200, appB: 200, providerX: 403, providerY: 403 },
  'POST /v1/tasks': { ...noToken, admin: 201, appA: 201, appB: '422 file_not_found', providerX: 403, providerY: 403 },
  'POST /v1/tasks/batch': { ...noToken, admin: 201, appA: 201, appB: '422 file_not_found', providerX: 403, providerY: 403 },
  'GET /v1/tasks': { ...noToken, admin: 200, appA: 200, appB: 403, providerX: 403, providerY: 403 },
  'GET /v1/tasks/:id': { ...noToken, admin: 200, appA: 200, appB: 404, providerX: 403, providerY: 403 },
  'POST /v1/tasks/:id/cancel': { ...noToken, admin: 200, appA: 200, appB: 404, providerX: 403, providerY: 403 },
  'DELETE /v1/tasks/:id': { ...noToken, admin: 204, appA: 204, appB: 404, providerX: 403, providerY: 403 },
  'GET /v1/tasks/:id/webhook-deliveries': { ...noToken, admin: 200, appA: 200, appB: 404, providerX: 403, providerY: 403 },
  'POST /v1/files': { ...noToken, admin: 201, appA: 201, appB: 201, providerX: 403, providerY: 403 },
  'GET /v1/files/:id': { ...noToken, admin: 200, appA: 200, appB: 404, providerX: 403, providerY: 403 },
  'GET /v1/files/:id/info': { ...noToken, admin: 200, appA: 200, appB: 404, providerX: 403, providerY: 403 },
  // Naming another app in ?appId= is refused outright (PROTOCOL.md: events, webhook secrets).
  'GET /v1/events': { ...noToken, admin: 200, appA: 200, appB: 403, providerX: 403, providerY: 403 },
  'GET /v1/tasks/:id/events': { ...noToken, admin: 200, appA: 200, appB: 404, providerX: 403, providerY: 403 },
  'GET /v1/webhook-secret': { ...noToken, admin: 200, appA: 200, appB: 403, providerX: 403, providerY: 403 },
  'POST /v1/webhook-secret/rotate': { ...noToken, admin: 200, appA: 200, appB: 403, providerX: 403, providerY: 403 },

  // Providers. Registering another app's id is a conflict by the protocol, deleting it a 404.
  'PUT /v1/providers/:providerId': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: '409 provider_conflict' },
  'DELETE /v1/providers/:providerId': { ...noToken, admin: 204, appA: 403, appB: 403, providerX: 204, providerY: 404 },
  'GET /v1/providers': { ...noToken, admin: 200, appA: 200, appB: 200, providerX: 200, providerY: 200 },

  'POST /v1/admin/tokens': { ...noToken, admin: 201, appA: 403, appB: 403, providerX: 403, providerY: 403 },
  'GET /v1/admin/tokens': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 403, providerY: 403 },
  'DELETE /v1/admin/tokens/:id': { ...noToken, admin: 204, appA: 403, appB: 403, providerX: 403, providerY: 403 },
  'GET /v1/admin/task-types/:typeId': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 403, providerY: 403 },
  'PUT /v1/admin/task-types/:typeId': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 403, providerY: 403 },
  'GET /v1/admin/stats': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 403, providerY: 403 },
  'POST /v1/admin/cleanup': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 403, providerY: 403 },

  // Work routes: provider X's provider or lease; provider Y gets 404 as for a missing one. For
  // POST /v1/work/results the status is that of the one report inside the 200 answer.
  'POST /v1/work/next': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'POST /v1/work/results': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'POST /v1/work/:taskId/progress': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'POST /v1/work/:taskId/result': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'POST /v1/work/:taskId/release': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'GET /v1/work/:taskId/files/:fileId': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'POST /v1/work/:taskId/files': { ...noToken, admin: 201, appA: 403, appB: 403, providerX: 201, providerY: 404 },
  'POST /v1/work/stream': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
  'GET /v1/work/control': { ...noToken, admin: 200, appA: 403, appB: 403, providerX: 200, providerY: 404 },
};

describeEachDatabase('authorization matrix', (kind) => {
  const fx = useInProcessCoordinator(kind);
  let who: Callers;
  let world: AuthzWorld;
  let served: string[] = [];
  let cells = 0;
  const violations: string[] = [];

  beforeAll(async () => {
    served = servedRoutes(fx.coordinator.app.routes);
    who = await createCallers(fx.admin);
    world = await createWorld(fx.admin, who);
  });

  afterAll(() => {
    const covered = served.filter((route) => route in table).length;
    const lines = [`authz matrix [${kind}]: ${covered}/${served.length} routes covered, ${cells} cells checked, ${violations.length} violations`];
    console.log([...lines, ...violations.map((v) => `  ${v}`)].join('\n'));
  });

  it('has a row and a probe for every route the app serves, and for no other', () => {
    const missing = served.filter((route) => !(route in table));
    const notServed = Object.keys(table).filter((route) => !served.includes(route));
    const probesOff = [...Object.keys(probes)].filter((route) => !(route in table));
    expect({ missing, notServed, probesOff }).toEqual({ missing: [], notServed: [], probesOff: [] });
  });

  for (const [route, row] of Object.entries(table)) {
    it(route, async () => {
      const probe = probes[route];
      expect(probe, `no probe for ${route} in src/authz/probes.ts`).toBeDefined();
      const method = route.split(' ')[0]!;
      const wrong: string[] = [];
      for (const caller of callers) {
        const fresh: Fresh = probe!.fresh ? await world.fresh(probe!.fresh) : { id: '' };
        const answer = await send((r) => fx.coordinator.app.fetch(r), who.headers[caller], method, probe!.request(world, fresh));
        if (probe!.fresh) await world.discard(probe!.fresh, fresh);
        cells += 1;
        for (const w of judge(row[caller], answer, probe!, caller)) wrong.push(`${caller}: ${w}`);
      }
      violations.push(...wrong.map((w) => `${route} ${w}`));
      expect(wrong).toEqual([]);
    });
  }
});
