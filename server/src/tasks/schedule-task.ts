import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ScheduleTaskRequest } from '@taskproc/spec';
import { tasks } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { servingProvider } from '../providers/provider-order.ts';
import { descriptorOf } from '../providers/provider-rows.ts';
import { claimedTaskOf } from '../work/claim-tasks.ts';
import { noteLeaseHandedOut } from '../work/open-leases.ts';
import { estimateCompletion } from './estimate-completion.ts';
import { insertTask, type NewTask } from './insert-task.ts';
import { hashRequest } from './request-hash.ts';
import type { TaskRow } from './task-json.ts';
import { validateTaskInput } from './validate-task-input.ts';
import { refuseForbiddenWebhookTarget } from '../webhooks/refuse-forbidden-target.ts';

/** A schedule request after schema validation (defaults such as priority 0 applied). */
export type ScheduleTaskBody = z.output<typeof ScheduleTaskRequest>;

export interface ScheduleTaskOptions {
  /** Owner of the new task. */
  appId: string;
  request: ScheduleTaskBody;
  /** Files in file slots must belong to this app; null (admin) accepts any existing file. */
  fileOwner: string | null;
  /** The Idempotency-Key header, when sent. */
  idempotencyKey?: string;
  /** The request's X-Request-Id, stored with the task. */
  requestId?: string;
}

export interface ScheduledTask {
  row: TaskRow;
  /** False when an earlier request with the same Idempotency-Key made the task. */
  created: boolean;
}

// Retrying the request is the answer to losing an idempotency race against a task that was
// deleted in between; three rounds are far more than that ever needs.
const maxRounds = 3;

/**
 * Schedules a task: checks the type, its settings and providers and the input (nothing is written
 * when any check fails), inserts the task and its first event in one statement, handing it to a
 * parked claim or waking one, and tells the task's waiters.
 *
 * With an Idempotency-Key, a repeat of the same request returns the task the first one made, and
 * the key reused for a different request is refused (409 idempotency_conflict). Two identical
 * requests racing each other are settled by the unique index on (app_id, idempotency_key): the
 * loser's insert does nothing and it answers with the winner's task.
 */
export async function scheduleTask(
  deps: Pick<Deps, 'db' | 'config' | 'now' | 'signals' | 'taskTypes' | 'providers' | 'queue' | 'metrics' | 'leases' | 'taskInserts'>,
  options: ScheduleTaskOptions,
): Promise<ScheduledTask> {
  const keepUntil = keepUntilOf(options.request);
  // The instant, not its spelling: `...00Z` and `...00.000Z` are the same request.
  const requestHash =
    options.idempotencyKey === undefined ? null : hashRequest({ ...options.request, keepUntil: keepUntil?.toISOString() });
  let checked: CheckedTask;
  try {
    checked = await checkTask(deps, options, requestHash, keepUntil);
  } catch (err) {
    // A repeat answers the first task even when the request would no longer pass (its provider
    // went away since, say): the first answer stands.
    const earlier = options.idempotencyKey === undefined ? undefined : await findByIdempotencyKey(deps, options.appId, options.idempotencyKey);
    if (earlier) return answerRepeat(earlier, requestHash!, options.idempotencyKey!);
    throw err;
  }
  for (let round = 0; round < maxRounds; round++) {
    // Insert first: a repeat is the rare case, so the earlier task is read only on a conflict.
    const row = await insertOrHandOff(deps, checked.task, checked.servingProviderId);
    if (row) return { row, created: true };
    if (options.idempotencyKey !== undefined) {
      const earlier = await findByIdempotencyKey(deps, options.appId, options.idempotencyKey);
      if (earlier) return answerRepeat(earlier, requestHash!, options.idempotencyKey);
    }
  }
  throw new ApiError('idempotency_conflict', 'concurrent requests with this Idempotency-Key kept colliding; retry');
}

/**
 * Inserts the task, straight into the hands of a claim parked on this coordinator when there is
 * one (Temporal's sync match: it is never queued, so nobody else can claim it, and the claim is
 * answered without a query of its own). Otherwise it is queued and one parked claim is woken,
 * here and, over NOTIFY, on other replicas. Every offer taken is delivered or declined.
 */
async function insertOrHandOff(
  deps: Pick<Deps, 'db' | 'signals' | 'queue' | 'metrics' | 'leases' | 'taskInserts'>,
  task: NewTask,
  servingProviderId: string,
): Promise<TaskRow | undefined> {
  const offer = deps.signals.work.takeHandoff(task.type, servingProviderId);
  let row: TaskRow | undefined;
  try {
    // Without a claim to hand it to, it is queued with the tasks scheduled meanwhile: one statement.
    row = offer ? await insertTask(deps, task, offer) : await deps.taskInserts.queue(task);
  } finally {
    if (offer && row?.status !== 'running') offer.decline();
  }
  if (!row) return undefined;
  if (row.status === 'running') {
    // The claim is answered a turn later, after the schedule's own answer is written: otherwise
    // the provider wakes first and, on a machine with few cores, takes the CPU that the app's
    // answer waits for (interleaved runs on 2 cores: schedule call p50 3.9-4.4 against 4.0-5.2
    // ms, p99 9-11 against 15-23 ms). The task is leased to the claim already: nobody else can
    // take it meanwhile.
    const handed = claimedTaskOf(row);
    setImmediate(() => offer!.deliver(handed));
    noteLeaseHandedOut(deps, row, false);
    deps.metrics.tasksScheduled.inc({ delivery: 'handoff' });
  } else {
    deps.queue.queued(row.type, row.priority, 1);
    deps.metrics.tasksScheduled.inc({ delivery: 'queued' });
    // A declined offer already woke its waiter here: that wake is this task's.
    if (offer) deps.signals.announceWork(row.type, 1);
    else deps.signals.workAvailable(row.type, 1);
  }
  deps.signals.taskChanged({ taskId: row.id, appId: row.appId, row });
  return row;
}

/**
 * Every check before anything is written: the type, its settings and serving provider (from the
 * directory), the input against the shapes, file ownership, the webhook target. Throws ApiError.
 */
async function checkTask(
  deps: Pick<Deps, 'db' | 'config' | 'now' | 'taskTypes' | 'providers' | 'queue'>,
  options: ScheduleTaskOptions,
  requestHash: string | null,
  keepUntil: Date | null,
): Promise<CheckedTask> {
  const { request } = options;
  const db = deps.db.db;
  const known = await deps.taskTypes.find(db, request.type);
  if (!known) throw new ApiError('unknown_task_type', `type: no task type "${request.type}"`, { field: 'json.type' });
  const typeProviders = await deps.providers.typeProviders(db, request.type);
  if (!typeProviders.enabled) {
    throw new ApiError('task_type_disabled', `task type "${request.type}" is disabled by an admin`);
  }
  const now = deps.now();
  const serving = servingProvider(typeProviders, now, deps.config.TASKPROC_PROVIDER_LIVENESS_MS);
  if (!serving) throw new ApiError('no_provider', `no provider is registered for task type "${request.type}"`);
  const provider = descriptorOf(serving);
  const { values: input, fileIds } = await validateTaskInput(db, {
    type: known.type,
    provider,
    input: request.input,
    fileOwner: options.fileOwner,
    maxInputBytes: deps.config.TASKPROC_MAX_INPUT_BYTES,
  });
  if (request.webhookUri !== undefined && !deps.config.TASKPROC_WEBHOOK_ALLOW_PRIVATE) {
    await refuseForbiddenWebhookTarget(request.webhookUri);
  }
  const completionExpectedAt = await estimateCompletion(deps.db, deps.queue, {
    type: request.type,
    priority: request.priority,
    expectedRuntimeS: provider.expectedRuntime ?? 60,
    now,
  });
  const task: NewTask = {
    type: request.type,
    appId: options.appId,
    userId: request.userId ?? null,
    customId: request.customId ?? null,
    input,
    priority: request.priority,
    maxAttempts: deps.config.TASKPROC_MAX_ATTEMPTS,
    now,
    completionExpectedAt,
    webhookUri: request.webhookUri ?? null,
    webhookMethod: request.webhookUri ? (request.webhookMethod ?? 'HTTP:POST') : null,
    idempotencyKey: options.idempotencyKey ?? null,
    requestHash,
    preferStreaming: request.preferStreaming,
    keepUntil,
    requestId: options.requestId ?? null,
    inputFileIds: fileIds,
  };
  return { task, servingProviderId: serving.id };
}

// Earlier instants are refused rather than stored: the databases disagree on (or refuse) years
// before 1 and read small years back wrongly, and no app means to keep a task until before 1970.
const earliestKeepUntil = Date.UTC(1970, 0, 1);

/** keepUntil as an instant; one in the past is allowed (it keeps nothing). */
function keepUntilOf(request: ScheduleTaskBody): Date | null {
  if (request.keepUntil === undefined) return null;
  const at = new Date(request.keepUntil);
  if (at.getTime() < earliestKeepUntil) {
    throw new ApiError('invalid_request', 'json.keepUntil: must be 1970-01-01T00:00:00Z or later', { field: 'json.keepUntil' });
  }
  return at;
}

/** A task ready to insert, and the provider its type goes to now (the only one a hand-off may pick). */
interface CheckedTask {
  task: NewTask;
  servingProviderId: string;
}

async function findByIdempotencyKey(deps: Pick<Deps, 'db'>, appId: string, key: string): Promise<TaskRow | undefined> {
  const [row] = await deps.db.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.appId, appId), eq(tasks.idempotencyKey, key)))
    .limit(1);
  return row;
}

function answerRepeat(earlier: TaskRow, requestHash: string, key: string): ScheduledTask {
  if (earlier.requestHash !== requestHash) {
    throw new ApiError(
      'idempotency_conflict',
      `Idempotency-Key "${key}" was used for a different request (task ${earlier.id}); use a new key for a new task`,
    );
  }
  return { row: earlier, created: false };
}
