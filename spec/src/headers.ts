/** Request and response headers of the protocol, in one place. */
export const headers = {
  /** Makes POST /v1/tasks safe to retry: the same key and body return the same task. */
  idempotencyKey: 'Idempotency-Key',
  /** Echoed on every response; also in problem bodies as requestId. */
  requestId: 'X-Request-Id',
  /** File name of an upload (raw body). */
  fileName: 'X-File-Name',
} as const;
