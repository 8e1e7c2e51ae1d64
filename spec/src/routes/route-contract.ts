// The shape of one route of the protocol: method, path, parameters, body and every answer, with
// their zod schemas and their documentation. The coordinator builds its routes from these
// (they are @hono/zod-openapi route configs), the client and the SDK build their requests and
// read their answers with them, and the OpenAPI document is generated from them.
import type { z } from 'zod';
import { Problem, problemContentType } from '../errors.ts';

export type RouteMethod = 'get' | 'post' | 'put' | 'delete';

type ContentSchemas = Record<string, { schema: z.ZodType }>;

export interface RouteResponse {
  description: string;
  content?: ContentSchemas;
}

/** What a route takes; every part optional, as in an OpenAPI operation. */
export interface RouteRequestParts {
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { content: ContentSchemas; required: boolean };
}

export interface RouteContract<P extends string = string> {
  method: RouteMethod;
  /** The full path below the base URL, OpenAPI style: `/v1/tasks/{id}`. */
  path: P;
  tags: string[];
  summary: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  request?: RouteRequestParts;
  responses: Record<number, RouteResponse>;
}

/**
 * One route of the protocol. The path is kept as its literal type, so requests built from the
 * route know its parameter names.
 */
export function defineRoute<P extends string, R extends Omit<RouteContract, 'path'> & { path: P }>(route: R): R {
  return route;
}

/** OpenAPI response entries, so every route documents its errors the same way. */
export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function problemContent(description: string) {
  return { content: { [problemContentType]: { schema: Problem } }, description };
}

/** A JSON request body, required. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true } as const;
}

/** The errors any authenticated route can answer. */
export const authErrors = {
  401: problemContent('unauthorized: missing, unknown or revoked token'),
  403: problemContent('forbidden: the token\'s role may not call this route'),
  503: problemContent('database_unavailable (the database is unreachable) or unavailable (shutting down); retry after Retry-After'),
} as const;

/** Bearer token auth, the scheme every /v1 route uses. */
export const security = [{ bearer: [] as string[] }];
