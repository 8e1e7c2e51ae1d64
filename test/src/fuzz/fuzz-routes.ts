import type { Coordinator } from '@taskproc/server';

// The routes to fuzz, taken from the app itself (`app.routes`), so a route added tomorrow is
// fuzzed without a change here; each with the zod schemas its OpenAPI definition validates
// against (path params, query, headers, body), where it has one.

export interface FuzzRoute {
  /** `METHOD /path/{param}`: the key of the route in the fuzz (and in the OpenAPI document). */
  key: string;
  method: string;
  /** The path with `{param}` placeholders. */
  path: string;
  params: string[];
  query?: unknown;
  headers?: unknown;
  body?: { contentType: string; schema: unknown };
}

interface RouteConfigLike {
  method: string;
  path: string;
  request?: {
    params?: unknown;
    query?: unknown;
    headers?: unknown;
    body?: { content?: Record<string, { schema?: unknown }> };
  };
}

/** Every route of the app with a concrete method (middleware registrations are left out). */
export function fuzzRoutes(app: Coordinator['app']): FuzzRoute[] {
  const definitions = new Map<string, RouteConfigLike>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route as unknown as RouteConfigLike;
    definitions.set(`${route.method.toUpperCase()} ${route.path}`, route);
  }
  const routes = new Map<string, FuzzRoute>();
  for (const { method, path: honoPath } of app.routes) {
    if (method === 'ALL') continue;
    const path = honoPath.replace(/:(\w+)/g, '{$1}');
    const key = `${method} ${path}`;
    if (routes.has(key)) continue;
    const request = definitions.get(key)?.request;
    const [contentType, media] = Object.entries(request?.body?.content ?? {})[0] ?? [];
    routes.set(key, {
      key,
      method,
      path,
      params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
      ...(request?.query ? { query: request.query } : {}),
      ...(request?.headers ? { headers: request.headers } : {}),
      ...(contentType && media?.schema ? { body: { contentType, schema: media.schema } } : {}),
    });
  }
  return [...routes.values()];
}
