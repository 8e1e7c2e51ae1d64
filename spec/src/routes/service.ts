import { z } from 'zod';
import { Health } from '../service.ts';
import { Binary } from './files.ts';
import { authErrors, defineRoute, jsonContent, problemContent, security } from './route-contract.ts';

/** What operators and their tools call, outside /v1. */
export const serviceRoutes = {
  health: defineRoute({
    method: 'get',
    path: '/healthz',
    tags: ['service'],
    summary: 'Health check (no token)',
    description:
      'Answers 200 when the coordinator runs and reaches its database; 503 database_unavailable (with Retry-After) when it does not, and 503 unavailable while it stops.',
    responses: {
      200: jsonContent(Health, 'The coordinator and its database answer'),
      503: problemContent('database_unavailable or unavailable'),
    },
  }),

  // Prometheus scrapes with the admin token (`authorization` in its scrape config).
  metrics: defineRoute({
    method: 'get',
    path: '/metrics',
    tags: ['service'],
    summary: 'Prometheus metrics (admin token)',
    security,
    responses: {
      200: { description: 'The Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
      ...authErrors,
    },
  }),

  openApiDocument: defineRoute({
    method: 'get',
    path: '/openapi.json',
    tags: ['service'],
    summary: 'This OpenAPI 3.1 document (no token)',
    responses: { 200: jsonContent(z.record(z.string(), z.unknown()), 'The document') },
  }),

  docs: defineRoute({
    method: 'get',
    path: '/docs',
    tags: ['service'],
    summary: 'Interactive API reference for this document (no token)',
    description: 'Swagger UI, served with its assets by the coordinator itself: it works offline and loads nothing from elsewhere.',
    responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } } },
  }),

  docsAsset: defineRoute({
    method: 'get',
    path: '/docs/{asset}',
    tags: ['service'],
    summary: 'A script, style sheet or icon of the API reference page (no token)',
    request: { params: z.object({ asset: z.string().regex(/^[a-z0-9.-]+$/) }) },
    responses: {
      200: { description: 'The asset, with its own Content-Type (JavaScript, CSS, PNG)', content: { '*/*': { schema: Binary } } },
      404: problemContent('not_found: no such asset'),
    },
  }),

  console: defineRoute({
    method: 'get',
    path: '/ui',
    tags: ['service'],
    summary: 'The web console for people (no token to load it; it signs in with one)',
    description:
      'A single page built into the coordinator: run a task from a form made from its type\'s shapes, follow it live, browse tasks, providers and queue statistics, and, with an admin token, manage tokens and task type settings. It loads nothing from elsewhere; its content security policy allows only this origin. The token it signs in with stays in the browser\'s session storage and is sent as a bearer token to /v1. `/ui/` redirects here (308).',
    responses: {
      200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } },
      404: problemContent('not_found: the console was not built (npm run build)'),
    },
  }),

  consoleAsset: defineRoute({
    method: 'get',
    path: '/ui/{asset}',
    tags: ['service'],
    summary: 'A script, style sheet or icon of the web console (no token)',
    description: 'Only the files the console build produced. Those whose name carries a content hash (`name-HASH.ext`) are cached for good (`immutable`); the others (the icon) are `no-cache`.',
    request: { params: z.object({ asset: z.string().regex(/^[A-Za-z0-9_.-]+$/) }) },
    responses: {
      200: { description: 'The asset, with its own Content-Type (JavaScript, CSS, SVG)', content: { '*/*': { schema: Binary } } },
      404: problemContent('not_found: no such asset'),
    },
  }),
};
