import { z } from 'zod';
import { ProviderId } from './providers.ts';
import { Problem } from './errors.ts';
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
