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
};
