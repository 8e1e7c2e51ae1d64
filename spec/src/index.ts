/**
 * @taskproc/spec: the protocol's single source of truth. Server, provider SDK and client import
 * these zod schemas; `spec/openapi.json` is generated from them.
 */
export * from './safe-values.ts';
export * from './shapes.ts';
export * from './task-types.ts';
export * from './task-type-catalogue.ts';
export * from './built-in-io.ts';
export * from './task-type-listing.ts';
export * from './providers.ts';
export * from './tasks.ts';
export * from './task-batch.ts';
export * from './files.ts';
export * from './tokens.ts';
export * from './work.ts';
export * from './events.ts';
export * from './webhooks.ts';
export * from './stats.ts';
export * from './retention.ts';
export * from './errors.ts';
export * from './headers.ts';
export * from './validate-slots.ts';
// The HTTP side every client of the coordinator shares (app client, provider SDK).
export * from './wire/errors.ts';
export * from './wire/retry.ts';
export * from './wire/transport.ts';
export { fetchHttpSend, type HttpSend, type HttpSendRequest, type HttpSendResponse } from './wire/http-send.ts';
export { defaultHttpSend } from '#default-http-send';
export * from './wire/sse-parser.ts';
export * from './wire/content-disposition.ts';
export * from './wire/route-request.ts';
export * from './wire/group-commit.ts';
// Every route: method, path, parameters, bodies, answers.
export * from './routes/index.ts';
export * from './service.ts';
