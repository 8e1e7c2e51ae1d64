import { z } from 'zod';
import { ProviderId } from './providers.ts';
import { Problem } from './errors.ts';
import { OutputDelta } from './events.ts';
import { storableReal, storableText } from './safe-values.ts';
import { SlotValues } from './shapes.ts';
import { Task, TaskId, TaskStatus } from './tasks.ts';

/** Upper bound of `max` in one claim. */
export const maxClaimBatch = 100;

export const ClaimRequest = z
  .object({
    providerIds: z.array(ProviderId).min(1).max(100).describe('Providers this process serves'),
    max: z.number().int().min(1).max(maxClaimBatch).default(1).describe('Claim at most this many tasks'),
    waitMs: z
      .number()
      .int()
      .min(0)
      .max(300_000)
      .default(0)
      .describe('Long-poll: park up to this long when there is no work (capped by TASKPROC_MAX_WAIT_MS)'),
    leaseMs: z
      .number()
      .int()
      .min(1_000)
      .max(3_600_000)
      .optional()
      .describe('Lease length for the claimed tasks (bounded by the coordinator); default TASKPROC_LEASE_MS'),
  })
  .strict()
  .meta({ id: 'ClaimRequest' });
export type ClaimRequest = z.input<typeof ClaimRequest>;

export const ClaimedTask = z
  .object({
    task: Task,
    providerId: ProviderId.describe('Which of the requested providers the task is for'),
    leaseId: z.uuid().describe('Pass with every progress, result, release and file call for this task'),
    leaseExpiresAt: z.iso.datetime().describe('Report progress or a heartbeat before this'),
    requestId: z
      .string()
      .nullable()
      .optional()
      .describe(
        'The X-Request-Id of the request that scheduled the task (the app\'s own, or the one the coordinator gave it): log it with the work, to follow the task from the app through the coordinator to the provider. Webhook calls of the task carry it as X-Request-Id too',
      ),
  })
  .meta({ id: 'ClaimedTask' });
export type ClaimedTask = z.infer<typeof ClaimedTask>;

export const ClaimResponse = z
  .object({ tasks: z.array(ClaimedTask).describe('Empty when the wait ended with no work') })
  .meta({ id: 'ClaimResponse' });
export type ClaimResponse = z.infer<typeof ClaimResponse>;

export const ProgressRequest = z
  .object({
    leaseId: z.uuid(),
    progress: storableReal().min(0).max(1).optional().describe('Omit for a plain heartbeat'),
  })
  .strict()
  .meta({ id: 'ProgressRequest' });
export type ProgressRequest = z.infer<typeof ProgressRequest>;

export const LeaseResponse = z
  .object({ leaseExpiresAt: z.iso.datetime() })
  .meta({ id: 'LeaseResponse', description: 'The lease was extended until leaseExpiresAt' });
export type LeaseResponse = z.infer<typeof LeaseResponse>;

export const TaskError = z
  .object({
    message: storableText().min(1).max(10_000).describe('For logs and admins, in English'),
    userFacingMessage: storableText().max(2_000).optional().describe('Safe to show to the user'),
  })
  .strict()
  .meta({ id: 'TaskError' });

export const ResultRequest = z
  .union([
    z.object({ leaseId: z.uuid(), output: SlotValues }).strict(),
    z.object({ leaseId: z.uuid(), error: TaskError }).strict(),
  ])
  .meta({ id: 'ResultRequest', description: 'Exactly one of output or error' });
export type ResultRequest = z.infer<typeof ResultRequest>;

export const ReleaseRequest = z.object({ leaseId: z.uuid() }).strict().meta({ id: 'ReleaseRequest' });
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;

/** Upper bound of reports in one `POST /v1/work/results`. */
export const maxResultBatch = 100;

export const BatchResultItem = z
  .union([
    z.object({ taskId: TaskId, leaseId: z.uuid(), output: SlotValues }).strict(),
    z.object({ taskId: TaskId, leaseId: z.uuid(), error: TaskError }).strict(),
  ])
  .meta({ id: 'BatchResultItem', description: 'One task\'s report: what `POST /v1/work/{taskId}/result` takes, plus the task id' });
export type BatchResultItem = z.infer<typeof BatchResultItem>;

export const BatchResultRequest = z
  .object({
    results: z.array(BatchResultItem).min(1).max(maxResultBatch).describe('Reports of tasks this token\'s providers hold; each task at most once'),
    next: ClaimRequest.optional().describe(
      'Claim more work in the same round trip, after the reports are stored; waitMs is honoured as on POST /v1/work/next',
    ),
  })
  .strict()
  .meta({ id: 'BatchResultRequest' });
export type BatchResultRequest = z.input<typeof BatchResultRequest>;

export const BatchResultOutcome = z
  .object({
    taskId: TaskId,
    status: z
      .number()
      .int()
      .describe('The HTTP status POST /v1/work/{taskId}/result would have answered for this report alone'),
    state: TaskStatus.optional().describe('The task\'s status after the report (status 200 and 422 invalid_output)'),
    task: Task.optional().describe('The task after the report (status 200), unless Prefer: return=minimal was sent'),
    problem: Problem.optional().describe('Why the report was refused (status other than 200)'),
  })
  .meta({ id: 'BatchResultOutcome' });
export type BatchResultOutcome = z.infer<typeof BatchResultOutcome>;

export const BatchResultResponse = z
  .object({
    results: z.array(BatchResultOutcome).describe('One outcome per report, in the order of the request'),
    tasks: z.array(ClaimedTask).optional().describe('What `next` claimed (present when `next` was sent)'),
  })
  .meta({ id: 'BatchResultResponse' });
export type BatchResultResponse = z.infer<typeof BatchResultResponse>;

/** Upper bound of items in one `POST /v1/work/stream`. */
export const maxStreamBatch = 100;

export const StreamItem = z
  .object({
    taskId: TaskId,
    leaseId: z.uuid(),
    seq: z
      .number()
      .int()
      .min(1)
      .max(2_147_483_647)
      .describe(
        'Numbers this lease\'s deltas 1, 2, 3, ...: a delta whose seq is not above the last one stored for the lease is a repeat (a retry after a lost answer) and is not stored again',
      ),
    delta: OutputDelta,
  })
  .strict()
  .meta({ id: 'StreamItem', description: 'Partial output of one task: text to append to its Text output slots' });
export type StreamItem = z.infer<typeof StreamItem>;

export const StreamRequest = z
  .object({
    items: z
      .array(StreamItem)
      .min(1)
      .max(maxStreamBatch)
      .describe('Deltas of tasks this token\'s providers hold, each task at most once; stored in this order'),
  })
  .strict()
  .meta({ id: 'StreamRequest' });
export type StreamRequest = z.infer<typeof StreamRequest>;

export const StreamOutcome = z
  .object({
    taskId: TaskId,
    status: z
      .number()
      .int()
      .describe('200 stored (or a repeat, see `repeated`); otherwise the status a progress report would get: 404 not_found, 409 task_cancelled or lease_lost'),
    repeated: z.boolean().optional().describe('The seq was stored before; nothing was stored this time'),
    problem: Problem.optional().describe('Why the delta was refused (status other than 200)'),
  })
  .meta({ id: 'StreamOutcome' });
export type StreamOutcome = z.infer<typeof StreamOutcome>;

export const StreamResponse = z
  .object({ results: z.array(StreamOutcome).describe('One outcome per item, in the order of the request') })
  .meta({ id: 'StreamResponse' });
export type StreamResponse = z.infer<typeof StreamResponse>;

/**
 * Why a provider must stop working on a task now, pushed on `GET /v1/work/control`:
 * `cancelled` (an app or admin cancelled it), `deleted` (the task is gone), `lease_lost` (the
 * lease expired and the task went back to the queue or failed).
 */
export const leaseEndReasons = ['cancelled', 'deleted', 'lease_lost'] as const;
export const LeaseEndReason = z.enum(leaseEndReasons).meta({ id: 'LeaseEndReason' });
export type LeaseEndReason = z.infer<typeof LeaseEndReason>;

/** The `event:` names on `GET /v1/work/control`. */
export const controlEventNames = { leaseEnded: 'lease_ended' } as const;

/** The `data:` of a `lease_ended` message on the control stream. */
export const LeaseEnded = z
  .object({
    taskId: TaskId,
    providerId: ProviderId,
    leaseId: z
      .uuid()
      .nullable()
      .describe('The lease that ended; null when the coordinator did not keep it (then every lease of the task is over)'),
    reason: LeaseEndReason,
  })
  .meta({ id: 'LeaseEnded' });
export type LeaseEnded = z.infer<typeof LeaseEnded>;

export const ControlStreamQuery = z.object({
  providerIds: z
    .string()
    .min(1)
    .max(10_000)
    .describe('Comma-separated ids of the providers this process serves, as in a claim'),
});
