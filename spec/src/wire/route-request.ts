// Requests built from the protocol's route contracts, and answers read with them: the client and
// the SDK never write a path, a method or a response schema of their own.
import type { z } from 'zod';
import type { RouteContract } from '../routes/route-contract.ts';
import { TaskprocError } from './errors.ts';
import { readJson, type TransportRequest, type TransportResponse } from './transport.ts';

/** The `{name}` parameters of an OpenAPI path template. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never;

type QueryOf<R extends RouteContract> = R['request'] extends { query: infer Q extends z.ZodType }
  ? { [K in keyof z.input<Q>]?: string | number | boolean | undefined }
  : never;

type JsonBodyOf<R extends RouteContract> = R['request'] extends { body: { content: { 'application/json': { schema: infer S extends z.ZodType } } } }
  ? z.input<S>
  : never;

/** What a request to route R carries besides its method and path. */
export type RouteRequestArgs<R extends RouteContract> = Omit<TransportRequest, 'method' | 'path' | 'query' | 'json'> &
  ([PathParamNames<R['path']>] extends [never] ? { params?: undefined } : { params: Record<PathParamNames<R['path']>, string | number> }) &
  ([QueryOf<R>] extends [never] ? { query?: undefined } : { query?: QueryOf<R> }) &
  ([JsonBodyOf<R>] extends [never] ? { json?: undefined } : { json: JsonBodyOf<R> });

/** The JSON a successful (2xx) answer of route R carries, as its schema outputs it. */
export type RouteJsonOf<R extends RouteContract> = {
  [S in keyof R['responses']]: S extends 200 | 201
    ? R['responses'][S] extends { content: { 'application/json': { schema: infer Z extends z.ZodType } } }
      ? z.output<Z>
      : never
    : never;
}[keyof R['responses']];

/** The transport request for a call of `route`: its method, its path with parameters filled in, its query. */
export function routeRequest<R extends RouteContract>(route: R, args: RouteRequestArgs<R>): TransportRequest {
  const { params, query, ...rest } = args as RouteRequestArgs<RouteContract> & {
    params?: Record<string, string | number>;
    query?: Record<string, string | number | boolean | undefined>;
  };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`${route.method.toUpperCase()} ${route.path}: parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
  const stringQuery: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query ?? {})) stringQuery[key] = value === undefined ? undefined : String(value);
  return { ...rest, method: route.method.toUpperCase() as TransportRequest['method'], path, query: stringQuery };
}

/** The name of a route in messages: `POST /v1/tasks`. */
export function routeName(route: RouteContract): string {
  return `${route.method.toUpperCase()} ${route.path}`;
}

/**
 * The JSON answer of `route`, checked against the schema the route gives for its status. A
 * mismatch means the two sides speak different protocol versions; failing here beats handing out
 * objects that lie about their type.
 */
export function readRouteJson<R extends RouteContract>(route: R, res: TransportResponse): RouteJsonOf<R> {
  const schema = route.responses[res.status]?.content?.['application/json']?.schema;
  if (!schema) throw new TaskprocError(`${routeName(route)}: the coordinator answered ${res.status}, which this route does not define with a JSON body`);
  let json: unknown;
  try {
    json = readJson(res);
  } catch (err) {
    throw new TaskprocError(`${routeName(route)}: the coordinator answered ${res.status} with a body that is not JSON`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw new TaskprocError(`${routeName(route)}: unexpected answer from the coordinator (${where}: ${issue?.message})`, {
      cause: parsed.error,
    });
  }
  return parsed.data as RouteJsonOf<R>;
}
