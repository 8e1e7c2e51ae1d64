/** Request and response headers of the protocol, in one place. */
export const headers = {
  /** Makes POST /v1/tasks safe to retry: the same key and body return the same task. */
  idempotencyKey: 'Idempotency-Key',
  /** Echoed on every response; also in problem bodies as requestId. */
  requestId: 'X-Request-Id',
  /** The lease id of a provider's file read or write, when not sent as ?leaseId=. */
  leaseId: 'X-Lease-Id',
  /** File name of an upload (raw body). */
  fileName: 'X-File-Name',
  /** Resume point of GET /v1/events: the id of the last event received. */
  lastEventId: 'Last-Event-ID',
  /** Webhook calls: `task.successful`, `task.failed` or `task.cancelled`. */
  webhookEvent: 'X-Taskproc-Event',
  /** Webhook calls: the delivery id, the same on every attempt of one delivery. */
  webhookDelivery: 'X-Taskproc-Delivery',
  /** Webhook calls: 1 for the first attempt, then 2, 3, ... */
  webhookAttempt: 'X-Taskproc-Attempt',
  /** Webhook calls: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
  webhookSignature: 'X-Taskproc-Signature',
  /**
   * RFC 7240. `return=minimal` on result reports: a single report answers 204 with no body, a
   * batch leaves `task` out of each outcome (only `state`). Saves encoding the whole task back.
   */
  prefer: 'Prefer',
} as const;
