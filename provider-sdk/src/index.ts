/**
 * @taskproc/provider-sdk: write a taskproc provider. Declare it with `defineProvider`, run it
 * with `runProviders`; the SDK registers, long-polls, keeps leases alive, reports progress and
 * results, turns cancellation into an AbortSignal and releases unfinished work on stop.
 */
export { defineProvider, type ProviderDefinition, type ProviderOptions } from './define-provider.ts';
export type { CustomTaskTypeLiteral, ProviderInput, ProviderOutput, ShapeLiteral } from './provider-io.ts';
export type { FileContent, ProviderContext, WriteFileOptions } from './context.ts';
export { runProviders, type ProviderRunner, type RunnerState, type StopOptions } from './run-providers.ts';
export type { RunProvidersOptions } from './runner-options.ts';
export { attachShutdownListeners, type ShutdownListenerOptions } from './shutdown.ts';
export { ProcessingError, RetryableError } from './processing-errors.ts';
// The error model shared with the app client, from the protocol package.
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TaskprocError,
  TimeoutError,
  UnprocessableEntityError,
  type AbortKind,
} from '@taskproc/spec';
// The HTTP layer below the runner's requests (the `send` option).
export { defaultHttpSend, type HttpSend, type HttpSendRequest, type HttpSendResponse } from '@taskproc/spec';
export { createDefaultLogger, type LogFn, type Logger } from './logger.ts';
export { createMockContext, type MockContextOptions, type MockProviderContext } from './mock-context.ts';
