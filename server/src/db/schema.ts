import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/** Bearer tokens. Only the SHA-256 of the secret is kept. */
export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'app', 'provider'] }).notNull(),
  appId: text('app_id'),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
  lastUsedAt: ts('last_used_at'),
});

/** Registered providers; `descriptor` is the validated ProviderDescriptor minus customTaskType. */
export const providers = pgTable(
  'providers',
  {
    id: text('id').primaryKey(),
    appId: text('app_id').notNull(),
    taskType: text('task_type').notNull(),
    descriptor: jsonb('descriptor').notNull(),
    registeredAt: ts('registered_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at'),
  },
  (t) => [index('providers_task_type_idx').on(t.taskType, t.registeredAt)],
);

/** Task types brought by providers (built-in types live in the spec catalogue, not here). */
export const customTaskTypes = pgTable('custom_task_types', {
  id: text('id').primaryKey(),
  definition: jsonb('definition').notNull(),
  providerId: text('provider_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Admin settings per task type: enabled, provider preference order. */
export const taskTypeSettings = pgTable('task_type_settings', {
  typeId: text('type_id').primaryKey(),
  enabled: boolean('enabled').notNull().default(true),
  preferredProviders: jsonb('preferred_providers').$type<string[]>().notNull().default([]),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    type: text('type').notNull(),
    status: text('status', { enum: ['scheduled', 'running', 'successful', 'failed', 'cancelled'] }).notNull(),
    appId: text('app_id').notNull(),
    userId: text('user_id'),
    customId: text('custom_id'),
    input: jsonb('input').$type<Record<string, unknown>>().notNull(),
    output: jsonb('output').$type<Record<string, unknown>>(),
    progress: real('progress').notNull().default(0),
    priority: integer('priority').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    providerId: text('provider_id'),
    leaseId: uuid('lease_id'),
    leaseExpiresAt: ts('lease_expires_at'),
    // Lease length asked for at claim time; each heartbeat extends the lease by this much again.
    leaseMs: integer('lease_ms'),
    scheduledAt: ts('scheduled_at').notNull(),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    lastUpdated: ts('last_updated').notNull(),
    completionExpectedAt: ts('completion_expected_at'),
    errorMessage: text('error_message'),
    userFacingErrorMessage: text('user_facing_error_message'),
    webhookUri: text('webhook_uri'),
    webhookMethod: text('webhook_method'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    preferStreaming: boolean('prefer_streaming').notNull().default(false),
    // The highest delta seq stored under the current lease (0 after each claim): repeats of a
    // delta batch whose answer was lost are recognised by it and not stored twice.
    streamSeq: integer('stream_seq').notNull().default(0),
    // Retention leaves the finished task alone until then (spec ScheduleTaskRequest.keepUntil).
    keepUntil: ts('keep_until'),
    // The X-Request-Id of the schedule request, to follow one request through providers and webhooks.
    requestId: text('request_id'),
    // The files the input names in its file slots; null when none. Retention keeps an upload
    // while a task lists it here (an upload referenced by no task goes after the period).
    inputFileIds: integer('input_file_ids').array(),
  },
  (t) => [
    // The claim query walks this index: scheduled tasks of some types, highest priority, oldest.
    index('tasks_claim_idx')
      .on(t.type, t.priority.desc(), t.id)
      .where(sql`status = 'scheduled'`),
    index('tasks_lease_idx').on(t.leaseExpiresAt).where(sql`status = 'running'`),
    index('tasks_app_idx').on(t.appId, t.id),
    uniqueIndex('tasks_idempotency_idx').on(t.appId, t.idempotencyKey),
    // Quotas count a caller's unfinished tasks (per app, per app and user) on this index.
    index('tasks_unfinished_owner_idx')
      .on(t.appId, t.userId)
      .where(sql`status IN ('scheduled', 'running')`),
    // Retention walks finished tasks oldest end first (retention/retention-sql.ts); the predicate is
    // the prune query's own, so only finished tasks are in it.
    index('tasks_ended_idx')
      .on(t.endedAt)
      .where(sql`status IN ('successful', 'failed', 'cancelled')`),
    // "Does a task still use file N?" for retention's upload pruning: `input_file_ids @> ARRAY[N]`.
    // Without GIN's pending list (fastupdate): every lookup would scan the list until a vacuum
    // merges it, about 3 ms each at 50k unmerged entries, for every file a prune batch looks at.
    index('tasks_input_files_idx')
      .using('gin', t.inputFileIds)
      .with({ fastupdate: false })
      .where(sql`input_file_ids IS NOT NULL`),
  ],
);

/**
 * Rate limit counters, shared by every coordinator on the database: one row per key (a caller)
 * and fixed window. Old windows are pruned by a periodic job.
 */
export const rateCounters = pgTable(
  'rate_counters',
  {
    key: text('key').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * Long-polls parked per token on each coordinator, so a token's limit holds across replicas.
 * Each coordinator rewrites its own rows about once a second; rows of a coordinator that stopped
 * writing (killed) stop counting once they are stale.
 */
export const parkedPolls = pgTable(
  'parked_polls',
  {
    replica: text('replica').notNull(),
    tokenId: integer('token_id').notNull(),
    count: integer('count').notNull(),
    seenAt: ts('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.replica, t.tokenId] }), index('parked_polls_token_idx').on(t.tokenId)],
);

export const files = pgTable(
  'files',
  {
    id: serial('id').primaryKey(),
    appId: text('app_id').notNull(),
    name: text('name').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    // Set for files a provider produced for a task's output.
    taskId: integer('task_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('files_app_idx').on(t.appId),
    index('files_task_idx').on(t.taskId),
    // Retention finds old uploads (files no provider produced) oldest first.
    index('files_upload_created_idx').on(t.createdAt).where(sql`task_id IS NULL`),
  ],
);

/**
 * Durable log of task changes; SSE streams read it and resume from Last-Event-ID.
 *
 * An event keeps the task's mutable fields as they were right after the change, as columns (the
 * hot path copies them in the statement that made the change, no JSON to build); the fields
 * that never change after scheduling (type, input, app, user, custom id, priority, webhook, ...)
 * are read from the task, or, once the task is deleted, from its `deleted` event, which keeps
 * the whole last state in `payload`. Rows written before the columns existed have `payload` too.
 */
export const taskEvents = pgTable(
  'task_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: integer('task_id').notNull(),
    appId: text('app_id').notNull(),
    kind: text('kind').notNull(),
    /** The whole task (spec Task): `deleted` events, and rows from before the columns below. */
    payload: jsonb('payload'),
    status: text('status'),
    progress: real('progress'),
    attempts: integer('attempts'),
    providerId: text('provider_id'),
    output: jsonb('output').$type<Record<string, unknown>>(),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    lastUpdated: ts('last_updated'),
    errorMessage: text('error_message'),
    userFacingErrorMessage: text('user_facing_error_message'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('task_events_app_idx').on(t.appId, t.id),
    // None on created_at: the prune and the event horizon walk the primary key (ids grow with
    // created_at), which spares every event written one index entry.
    // A deleted task's events find its `deleted` event (the fields that never change) by it.
    index('task_events_task_idx').on(t.taskId),
  ],
);

/** Webhook outbox: written in the transaction that ends the task. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id').notNull(),
    appId: text('app_id').notNull(),
    uri: text('uri').notNull(),
    method: text('method').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_task_idx').on(t.taskId),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: serial('id').primaryKey(),
    deliveryId: integer('delivery_id').notNull(),
    attemptedAt: ts('attempted_at').notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  // A delivery's attempt log, and retention removing it with its delivery, look attempts up by it.
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId)],
);

/** Per-app secrets (webhook signing). */
export const appSecrets = pgTable('app_secrets', {
  appId: text('app_id').primaryKey(),
  webhookSecret: text('webhook_secret').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
