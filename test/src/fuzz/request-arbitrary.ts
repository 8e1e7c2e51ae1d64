import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-request.ts';
import type { FuzzRoute } from './fuzz-routes.ts';
import { callerNames, type CallerName, type FuzzWorld } from './fuzz-world.ts';
import { badUtf8, oddStrings, oddValue, toJsonText, withBadBytes } from './odd-values.ts';
import { semanticParts, type Parts } from './semantic-parts.ts';
import { inputRulesOf } from './rules-of.ts';
import { validSlotValues } from './slot-values.ts';
import { invalidOf, shapeOf, validOf, type Overrides } from './zod-arbitrary.ts';

// A request for any route of the app: the caller the route is for, mostly, and any other now and
// then; path, query, headers and body from the route's schemas (valid, or with one thing wrong),
// from the dependent-field builders, or junk; the body sometimes not UTF-8, cut off, of the wrong
// content type or over the size limit. Now and then a route the app does not have, or a method
// the route does not take.

export interface Limits {
  bodyBytes: number;
  fileBytes: number;
}

const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

const pick = <T>(values: () => readonly T[], fallback: T): fc.Arbitrary<T> =>
  fc.constant(null).chain(() => (values().length > 0 ? fc.constantFrom(...values()) : fc.constant(fallback)));

function preferredCaller(route: FuzzRoute): CallerName {
  if (route.path.startsWith('/v1/work')) return 'provider';
  if (route.path.startsWith('/v1/providers')) return route.method === 'GET' ? 'app' : 'provider';
  if (route.path.startsWith('/v1/admin') || route.path === '/metrics') return 'admin';
  if (!route.path.startsWith('/v1/')) return 'anonymous';
  return 'app';
}

// Path segments a router or a coercion might trip on; none with an unpaired surrogate, which
// encodeURIComponent cannot encode (and a client could not send).
const oddSegments = fc.constantFrom('0', '-1', '2147483648', '-2147483649', '99999999999999999999', '1.5', '1e3', '0x10', '+1', ' 1', 'abc', '', '%00', '\u0000', 'a/b', '..', 'core:text2text', 'llm:summary', '😀');

function paramArbitrary(name: string, route: FuzzRoute, world: FuzzWorld): fc.Arbitrary<string> {
  const known = (() => {
    if (name === 'taskId') return pick(() => [...world.leases.map((l) => l.taskId), ...world.tasks.slice(-5)], 1);
    if (name === 'fileId') return pick(() => [...world.files.app, ...world.files.otherApp], 1);
    if (name === 'providerId') return fc.constantFrom(...world.scratchProviderIds);
    if (name === 'typeId') return route.method === 'GET' ? pick(() => world.typeIds, world.scratchTypeId) : fc.constant(world.scratchTypeId);
    if (route.path.startsWith('/v1/admin/tokens')) return pick(() => world.tokenIds, 1);
    if (route.path.startsWith('/v1/files')) return pick(() => [...world.files.app, ...world.files.otherApp], 1);
    return pick(() => world.tasks, 1);
  })();
  const value = fc.oneof({ weight: 6, arbitrary: known.map(String) }, { weight: 2, arbitrary: oddSegments }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  // Never revoke a caller's own token (" 1" and "+1" are token 1 to the coercion, as to Number).
  return route.path.startsWith('/v1/admin/tokens') ? value.filter((v) => !world.protectedTokenIds.has(Number(v))) : value;
}

/** World values for fields that name things, by the field's path in a body or query. */
function overridesFor(world: FuzzWorld): Overrides {
  const leases = () => world.leases;
  return (path) => {
    const [last, before] = [path.at(-1), path.at(-2)];
    if (before === 'providerIds' || before === 'preferredProviders') {
      return pick(() => [...world.coreProviderIds.provider, ...world.scratchProviderIds, ...world.coreProviderIds.otherProvider], 'x');
    }
    if (last === 'leaseId') return pick(() => leases().map((l) => l.leaseId), '00000000-0000-4000-8000-000000000000');
    if (last === 'taskId' && path.length > 1) return pick(() => leases().map((l) => l.taskId), 1);
    if (last === 'taskId') return pick(() => world.tasks, 1);
    if ((last === 'type' && path.length === 1) || last === 'taskType') return pick(() => world.typeIds, 'core:text2text');
    if (last === 'input' || last === 'output') {
      return pick(() => [...world.listing.values()], undefined).chain((type) =>
        type ? validSlotValues(inputRulesOf(type), () => world.files.app) : fc.constant({}),
      );
    }
    // Mostly the app's own id: another app's is a plain 403 for app tokens.
    // Leases outlast the run: a lease swept between the two fingerprints of a refused request
    // would look like that request writing. (Invalid lease lengths still come from invalidOf.)
    if (last === 'leaseMs') return fc.constant(3_600_000);
    if (last === 'appId') return fc.oneof({ weight: 4, arbitrary: fc.constant('mail') }, { weight: 1, arbitrary: fc.constantFrom('other', 'victim', 'admin') });
    if (last === 'cursor') {
      // Cursors of the listing's own form that it never hands out: past int4, zero, another prefix.
      const crafted = ['t:0', 't:2147483648', 't:99999999999', 'x:1'].map((c) => Buffer.from(c).toString('base64url'));
      return fc.oneof(pick(() => world.cursors, 'dDox'), fc.constantFrom(...crafted));
    }
    return undefined;
  };
}

const headerSafe = (value: unknown) => String(typeof value === 'object' ? JSON.stringify(value) : value).replace(/[^\x20-\x7e\x80-\xff]/g, '?');

function fieldsArbitrary(schema: unknown, overrides: Overrides): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof({ weight: 4, arbitrary: validOf(schema, overrides) }, { weight: 2, arbitrary: invalidOf(schema, overrides) });
  return value.map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { junk: v }));
}

function queryString(fields: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    query.append(key, typeof value === 'string' ? value : typeof value === 'object' ? toJsonText(value) : String(value));
  }
  return query.toString();
}

const rawQueries = fc.constantFrom('%ZZ', 'customId=%00', 'customId=%ED%A0%80', '__proto__=1', 'limit=1&limit=2', '&&&=', 'waitSeconds=1e400', 'taskId=2147483648', 'cursor=%F0%9F');

function jsonBody(route: FuzzRoute, semantic: Parts | undefined, overrides: Overrides, limits: Limits): fc.Arbitrary<string | Uint8Array> {
  const schema = route.body?.schema;
  const sources: Array<{ weight: number; arbitrary: fc.Arbitrary<unknown> }> = [{ weight: 1, arbitrary: oddValue }];
  if (semantic?.body !== undefined) sources.push({ weight: 12, arbitrary: fc.constant(semantic.body) });
  if (schema) sources.push({ weight: 3, arbitrary: validOf(schema, overrides) }, { weight: 4, arbitrary: invalidOf(schema, overrides) });
  return fc.oneof(...sources).chain((value) => {
    const text = toJsonText(value);
    return fc.oneof(
      { weight: 14, arbitrary: fc.constant<string | Uint8Array>(text) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...badUtf8), fc.double({ min: 0, max: 1, noNaN: true })).map(([bytes, at]) => withBadBytes(text, bytes, at)) },
      { weight: 1, arbitrary: fc.constant(`${text}${' '.repeat(Math.max(0, limits.bodyBytes + 1 - text.length))}`) },
      { weight: 1, arbitrary: fc.constantFrom(text.slice(0, Math.floor(text.length / 2)), '', '{', 'nul', '{"a":1,}') },
    );
  });
}

const mimeTypes = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('application/octet-stream', 'image/png', 'text/plain; charset=utf-8', 'audio/ogg') },
  { weight: 1, arbitrary: fc.constantFrom('a', '/', 'x/y; q', 'text/plain\u00ff', 'application/json', 'm/'.repeat(200)) },
);
const fileNames = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a.txt', 'photo.png', encodeURIComponent('résumé 😀.pdf')) },
  { weight: 1, arbitrary: fc.constantFrom('%00', '%E0%A4%A', '%ED%A0%80', '..%2F..%2Fetc', 'n'.repeat(300)) },
  { weight: 1, arbitrary: fc.constantFrom(...oddStrings.filter((s) => !/[\uD800-\uDFFF]/.test(s))).map(encodeURIComponent) },
);

function fileBody(limits: Limits): fc.Arbitrary<{ body: Uint8Array; headers: Record<string, string> }> {
  return fc
    .record(
      {
        body: fc.oneof({ weight: 8, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }) }, { weight: 1, arbitrary: fc.constant(new Uint8Array()) }, { weight: 1, arbitrary: fc.constant(new Uint8Array(limits.fileBytes + 1)) }),
        type: mimeTypes,
        name: fileNames,
      },
      { requiredKeys: ['body'] },
    )
    .map(({ body, type, name }) => ({
      body,
      headers: { ...(type ? { 'content-type': type } : {}), ...(name ? { 'x-file-name': name } : {}) },
    }));
}

function routeRequest(route: FuzzRoute, world: FuzzWorld, semantic: fc.Arbitrary<Parts> | undefined, limits: Limits): fc.Arbitrary<FuzzRequest> {
  const overrides = overridesFor(world);
  const parts = semantic ? fc.oneof({ weight: 4, arbitrary: semantic }, { weight: 1, arbitrary: fc.constant<Parts>({}) }) : fc.constant<Parts>({});
  const callers = fc.oneof({ weight: 6, arbitrary: fc.constant(preferredCaller(route)) }, { weight: 1, arbitrary: fc.constantFrom(...callerNames) });
  const method = fc.oneof({ weight: 30, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...methods) });
  const json = route.body?.contentType === 'application/json';
  return fc.tuple(parts, callers, method).chain(([given, caller, verb]) => {
    const params = fc.record(Object.fromEntries(route.params.map((name) => [name, paramArbitrary(name, route, world)])));
    const query = given.query
      ? fc.constant(queryString(given.query))
      : fc.oneof(
          { weight: 6, arbitrary: route.query ? fieldsArbitrary(route.query, overrides).map(queryString) : fc.constant('') },
          { weight: 1, arbitrary: rawQueries },
        );
    const schemaHeaders = route.headers && shapeOf(route.headers) ? fieldsArbitrary(route.headers, overrides) : fc.constant({});
    const body: fc.Arbitrary<{ body?: string | Uint8Array; headers: Record<string, string> }> = json
      ? fc.tuple(jsonBody(route, given, overrides, limits), fc.oneof({ weight: 12, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', '', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') }))
          .chain(([text, type]) =>
            // Sometimes with the Content-Length a socket would carry, so both ways of the size limit are tried.
            fc.boolean().map((sized) => ({
              body: text,
              headers: { ...(type ? { 'content-type': type } : {}), ...(sized ? { 'content-length': String(typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength) } : {}) },
            })),
          )
      : route.body
        ? fileBody(limits)
        : fc.oneof({ weight: 8, arbitrary: fc.constant({ headers: {} }) }, { weight: 1, arbitrary: oddValue.map((v) => ({ body: toJsonText(v), headers: { 'content-type': 'application/json' } })) });
    return fc.record({ params, query, schemaHeaders, body }).map((r): FuzzRequest => {
      const authorization = world.authorization(caller);
      const headers: Record<string, string> = {};
      // Lower-cased, so a builder's header replaces the schema's instead of being sent beside it.
      // Names a client cannot send (odd keys of the header schema) are left out.
      for (const [k, v] of Object.entries({ ...r.schemaHeaders, ...given.headers })) {
        if (v !== undefined && /^[\w!#$%&'*+.^`|~-]+$/.test(k)) headers[k.toLowerCase()] = headerSafe(v);
      }
      return {
        route: route.key,
        caller,
        method: verb,
        params: { ...r.params, ...given.params },
        query: r.query,
        headers: { ...headers, ...r.body.headers, ...(authorization ? { authorization } : {}) },
        ...(r.body.body !== undefined ? { body: r.body.body } : {}),
      };
    });
  });
}

function unknownRoute(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const segments = fc.array(fc.constantFrom('v1', 'v2', 'tasks', 'work', 'files', 'admin', 'nope', '1', '..', '%2e%2e', ''), { maxLength: 5 });
  return fc.tuple(fc.constantFrom(...methods), segments).map(([method, path]) => ({
    route: `${method} /${path.join('/')}`,
    caller: 'app',
    method,
    params: {},
    query: '',
    headers: { authorization: world.authorization('app')! },
  }));
}

/**
 * How often a route is picked, relative to the others (1): the task pipeline more, because each
 * step feeds the next (a schedule gives a claim something, a claim gives a report a lease).
 */
const pipelineWeights: Record<string, number> = {
  'POST /v1/tasks': 5,
  'POST /v1/work/next': 3,
  'POST /v1/work/{taskId}/result': 3,
  'POST /v1/work/results': 2,
  'POST /v1/work/{taskId}/progress': 2,
  'POST /v1/work/{taskId}/files': 2,
};

/** A request for one of `routes` (every route, the pipeline's more often), or for a route the app does not have. */
export function requestArbitrary(routes: FuzzRoute[], world: FuzzWorld, limits: Limits): fc.Arbitrary<FuzzRequest> {
  const semantic = semanticParts(world);
  const known = routes.map((route) => ({ weight: pipelineWeights[route.key] ?? 1, arbitrary: routeRequest(route, world, semantic[route.key], limits) }));
  return fc.oneof({ weight: 1, arbitrary: unknownRoute(world) }, ...known);
}
