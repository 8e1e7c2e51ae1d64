import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { headers, serviceRoutes } from '@taskproc/spec';
import type { Deps } from './deps.ts';
import { authenticate } from './auth/require-auth.ts';
import { ApiError } from './errors.ts';
import type { AppEnv } from './http/env.ts';
import { limitBody } from './http/body-limit.ts';
import { allowedMethods } from './http/method-not-allowed.ts';
import { problemResponse } from './http/problem.ts';
import { requestLog } from './http/request-log.ts';
import { validationHook } from './http/validation-hook.ts';
import { createAdminRoutes } from './routes/admin.ts';
import { createEventsRoutes } from './routes/events.ts';
import { createFilesRoutes } from './routes/files.ts';
import { createProvidersRoutes } from './routes/providers.ts';
import { createTaskTypesRoutes } from './routes/task-types.ts';
import { createTasksRoutes } from './routes/tasks.ts';
import { createWorkRoutes } from './routes/work.ts';
import { createServiceRoutes } from './routes/service.ts';
import { createWorkStreamRoutes } from './routes/work-stream.ts';
import { createDocsRoutes } from './routes/docs.ts';
import { createConsoleRoutes } from './routes/console.ts';
import { createStatsRoutes } from './routes/stats.ts';

export const openApiInfo = {
  title: 'taskproc',
  version: '0.2.0',
  description:
    'Task processing coordinator with a pull-based provider protocol. See spec/PROTOCOL.md for the prose.',
};

/** What a 503 database_unavailable asks the caller to wait, s: a restart takes a few seconds. */
const databaseRetryAfterS = 1;

/** Routes whose bodies are file bytes, not JSON, and get the file size limit. */
const fileUploadPath = /^\/v1\/(files|work\/[^/]+\/files)$/;

/** Builds the HTTP app. Only main.ts binds it to a port. */
export function createApp(deps: Deps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', async function requestContext(c, next) {
    const incoming = c.req.header(headers.requestId);
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.header(headers.requestId, requestId);
    // A request that slips in on an open connection while the coordinator stops: try another.
    if (deps.stopping.aborted) {
      return problemResponse(c, 'unavailable', 'the coordinator is shutting down', { headers: { 'Retry-After': '1' } });
    }
    await next();
  });
  app.use('*', requestLog(deps.logger, deps.metrics));

  const jsonLimit = limitBody({
    maxSize: deps.config.TASKPROC_MAX_BODY_BYTES,
    onError: (c) =>
      problemResponse(c, 'payload_too_large', `request bodies are limited to ${deps.config.TASKPROC_MAX_BODY_BYTES} bytes`),
  });
  const fileLimit = limitBody({
    maxSize: deps.config.TASKPROC_MAX_FILE_BYTES,
    onError: (c) =>
      problemResponse(c, 'payload_too_large', `files are limited to ${deps.config.TASKPROC_MAX_FILE_BYTES} bytes`),
  });
  app.use('/v1/*', (c, next) => (fileUploadPath.test(c.req.path) ? fileLimit(c, next) : jsonLimit(c, next)));
  const authenticated = authenticate({ db: deps.db.db, principals: deps.principals, now: deps.now });
  app.use('/v1/*', authenticated);

  app.route('/', createServiceRoutes(deps, authenticated));

  app.route('/', createTaskTypesRoutes(deps));
  app.route('/', createTasksRoutes(deps));
  app.route('/', createFilesRoutes(deps));
  app.route('/', createProvidersRoutes(deps));
  app.route('/', createAdminRoutes(deps));
  app.route('/', createStatsRoutes(deps));
  app.route('/', createWorkRoutes(deps));
  app.route('/', createWorkStreamRoutes(deps));
  app.route('/', createEventsRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from the bootstrap output, `npm run cli -- token create`, or POST /v1/admin/tokens',
  });
  // The document itself is served by doc31, outside the zod routes: listed so it names every route.
  app.openAPIRegistry.registerPath(serviceRoutes.openApiDocument);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: openApiInfo });
  app.route('/', createDocsRoutes());
  app.route('/', createConsoleRoutes());

  app.notFound((c) => {
    const allowed = allowedMethods(app.routes, c.req.path);
    if (allowed.length > 0) {
      return problemResponse(c, 'method_not_allowed', `${c.req.method} is not supported on ${c.req.path}`, {
        headers: { Allow: allowed.join(', ') },
      });
    }
    return problemResponse(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(c, err.code, err.detail, err.extra);
    if (err instanceof HTTPException && err.status === 400 && /json/i.test(err.message)) {
      return problemResponse(c, 'invalid_json', 'the request body is not valid JSON');
    }
    if (err instanceof HTTPException && err.status === 415) {
      return problemResponse(c, 'unsupported_media_type', `send the body as application/json, not ${c.req.header('content-type')}`);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return problemResponse(c, 'invalid_request', err.message);
    }
    if (deps.database.failed(err)) {
      return problemResponse(c, 'database_unavailable', 'the coordinator cannot reach its database; retry shortly', {
        headers: { 'Retry-After': String(databaseRetryAfterS) },
      });
    }
    deps.logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    return problemResponse(c, 'internal_error', 'an internal error occurred; the request id identifies it in the logs');
  });

  return app;
}
