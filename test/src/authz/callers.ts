import { expect } from 'vitest';
import type { Http } from '../http.ts';

/**
 * Everyone the authorization matrix sends requests as. Three cannot authenticate; the rest are
 * one token per role and app, with two of each bound role so that cross-app access can be tried.
 */
export const callers = ['anonymous', 'malformed', 'revoked', 'admin', 'appA', 'appB', 'providerX', 'providerY'] as const;
export type Caller = (typeof callers)[number];

/** App ids the tokens are bound to. Provider apps differ from the app apps on purpose. */
export const appIds = { appA: 'mail', appB: 'chat', providerX: 'acme', providerY: 'other' } as const;

/** The Authorization header each caller sends; undefined sends none. */
export type CallerHeaders = Record<Caller, string | undefined>;

/** The callers' headers, and clients for the token holders to build fixtures with. */
export interface Callers {
  headers: CallerHeaders;
  clients: Record<keyof typeof appIds, Http>;
}

/** A token made through the admin API, as an operator would make it. */
async function createToken(admin: Http, body: Record<string, unknown>): Promise<{ id: number; token: string }> {
  const res = await admin.post('/v1/admin/tokens', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/**
 * Creates the callers' tokens and revokes one. The revoked token is an admin token and the
 * malformed header carries the live admin secret followed by junk: had revocation or header
 * parsing a hole, these two would be let in with every right, so every cell would show it.
 */
export async function createCallers(admin: Http): Promise<Callers> {
  const client = async (role: 'app' | 'provider', appId: string) =>
    admin.withToken((await createToken(admin, { role, appId, name: `authz ${appId} ${role}` })).token);
  const clients = {
    appA: await client('app', appIds.appA),
    appB: await client('app', appIds.appB),
    providerX: await client('provider', appIds.providerX),
    providerY: await client('provider', appIds.providerY),
  };
  const revoked = await createToken(admin, { role: 'admin', name: 'authz revoked admin' });
  const revoke = await admin.delete(`/v1/admin/tokens/${revoked.id}`);
  expect(revoke.status, JSON.stringify(revoke.body)).toBe(204);
  const bearer = (http: Http) => `Bearer ${http.token}`;
  return {
    headers: {
      anonymous: undefined,
      malformed: `Bearer ${admin.token} trailing-junk`,
      revoked: `Bearer ${revoked.token}`,
      admin: bearer(admin),
      appA: bearer(clients.appA),
      appB: bearer(clients.appB),
      providerX: bearer(clients.providerX),
      providerY: bearer(clients.providerY),
    },
    clients,
  };
}
