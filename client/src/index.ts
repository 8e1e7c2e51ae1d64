/**
 * @taskproc/client: an app's client of the taskproc coordinator. Schedule a task and wait for its
 * output (`run`) or its answer as it is written (`stream`), or follow tasks through long-polls
 * (`wait`), server-sent events (`events`) or signed webhooks (`verifyWebhook`); cancel, delete, list; upload and download files.
 */
export { TaskProcessingClient } from './client.ts';
export type {
  DownloadedFile,
  EventsOptions,
  GetTaskOptions,
  InputOf,
  ListTasksQuery,
  OutputOf,
  OutputStreamPart,
  RequestOptions,
  RunOptions,
  ScheduleOptions,
  StreamOptions,
  StreamTaskOptions,
  TaskInputOf,
  TaskOutputOf,
  TaskProcessingClientOptions,
  TaskStreamEvent,
  TaskStreamReset,
  TaskTypeDefinition,
  TaskTypeRef,
  TypedTask,
  TypedWaitOptions,
  UploadFileOptions,
  WaitOptions,
} from './client-options.ts';
export { verifyWebhook, verifyWebhookQuery, type VerifyWebhookOptions, type WebhookHeaders } from './verify-webhook.ts';
// The error model shared with the provider SDK, from the protocol package.
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
} from '@taskproc/spec';
export { TaskCancelledError, TaskFailedError, WebhookVerificationError } from './errors.ts';
// The protocol's types, so apps need not depend on @taskproc/spec themselves.
export type {
  AvailableTaskType,
  ErrorCode,
  FileInfo,
  ScheduleTaskRequest,
  SlotValues,
  Task,
  TaskEvent,
  TaskEventKind,
  TaskList,
  TaskStatus,
  WebhookEventName,
  WebhookPayload,
  WebhookSecret,
} from '@taskproc/spec';
