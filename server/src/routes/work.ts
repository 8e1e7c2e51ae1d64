import { createRoute, z } from '@hono/zod-openapi';
import { contentDisposition, headers, workRoutes, type ClaimRequest, type ClaimedTask } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { clientGoneSignal } from '../http/client-gone-signal.ts';
import { createRouter } from '../http/create-router.ts';
import { onResponseUndelivered } from '../http/on-response-undelivered.ts';
import { parseUploadMimeType, parseUploadName } from '../files/upload-metadata.ts';
import { toTaskJson } from '../tasks/task-json.ts';
import { extendLease } from '../work/extend-lease.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Context } from 'hono';
import { problemBody } from '../http/problem.ts';
import type { ProvidersWithTypes } from '../providers/provider-order.ts';
import type { ReportOutcome } from '../work/result-reports.ts';
import { longPollClaim } from '../work/long-poll-claim.ts';
import { loadOwnProviders } from '../work/provider-access.ts';
import { refuseRepeatedTasks } from '../work/refuse-repeated-tasks.ts';
import { releaseTask } from '../work/release-task.ts';
import { readTaskInputFile, writeTaskOutputFile } from '../work/task-files.ts';

const leaseIdHeader = headers.leaseId;

/** Whether the request asked for `Prefer: return=minimal` (the header may list several preferences). */
function prefersMinimal(header: { prefer?: string | undefined }): boolean {
  return header.prefer?.split(/[,;]/).some((p) => p.trim().toLowerCase() === 'return=minimal') ?? false;
}

function invalidOutput(taskId: number, outcome: Extract<ReportOutcome, { kind: 'invalid_output' }>): ApiError {
  return new ApiError('invalid_output', `${outcome.error.detail}; task ${taskId} was marked failed`, { slot: outcome.error.slot });
}

/** The provider side: claim work, report progress and results, hand tasks back, move files. */
export function createWorkRoutes(deps: Deps) {
  const app = createRouter();
  app.use('/v1/work/*', requireRole(['provider']));

  const claimRoute = createRoute(workRoutes.claim);
  /**
   * Claims for this request, and makes sure every lease handed out reaches the client: one that
   * is gone will never see them, so they go straight back, whether we notice before answering or
   * only when the answer cannot be written.
   */
  const claimFor = async (c: Context, principal: Principal, own: ProvidersWithTypes, body: z.output<typeof ClaimRequest>) => {
    const leaseMs = Math.min(body.leaseMs ?? deps.config.TASKPROC_LEASE_MS, deps.config.TASKPROC_MAX_LEASE_MS);
    const signal = clientGoneSignal(c, deps.stopping);
    const claimed = await longPollClaim(deps, own, { max: body.max, leaseMs, waitMs: body.waitMs, signal, tokenId: principal.tokenId });
    if (signal.aborted && claimed.length > 0) {
      await handBack(principal, claimed);
      return [];
    }
    if (claimed.length > 0) onResponseUndelivered(c, () => void handBack(principal, claimed));
    for (const { task } of claimed) {
      deps.metrics.taskStarted(task.type, Date.parse(task.startedAt ?? task.scheduledAt) - Date.parse(task.scheduledAt));
    }
    return claimed;
  };
  /** Releases leases that never reached the client (no attempt spent). */
  const handBack = (principal: Principal, claimed: readonly ClaimedTask[]) =>
    Promise.allSettled(claimed.map((t) => releaseTask(deps, principal, { taskId: t.task.id, leaseId: t.leaseId })));
  const ownProviders = (principal: Principal, ids: readonly string[]) =>
    loadOwnProviders(deps.providers, deps.db.db, principal, ids);

  app.openapi(claimRoute, async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const own = await ownProviders(principal, body.providerIds);
    return c.json({ tasks: await claimFor(c, principal, own, body) }, 200);
  });

  const progressRoute = createRoute(workRoutes.progress);
  app.openapi(progressRoute, async (c) => {
    const { taskId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { leaseExpiresAt } = await extendLease(deps, c.get('principal'), { taskId, ...body });
    return c.json({ leaseExpiresAt: leaseExpiresAt.toISOString() }, 200);
  });

  const resultRoute = createRoute(workRoutes.result);
  app.openapi(resultRoute, async (c) => {
    const { taskId } = c.req.valid('param');
    const minimal = prefersMinimal(c.req.valid('header'));
    const outcome = await deps.results.report(c.get('principal'), taskId, c.req.valid('json'), { rows: !minimal });
    if (outcome.kind === 'invalid_output') throw invalidOutput(taskId, outcome);
    if (minimal) {
      c.header('Preference-Applied', 'return=minimal');
      return c.body(null, 204);
    }
    return c.json({ task: toTaskJson(outcome.row!) }, 200);
  });

  const batchResultsRoute = createRoute(workRoutes.results);
  app.openapi(batchResultsRoute, async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const minimal = prefersMinimal(c.req.valid('header'));
    refuseRepeatedTasks(body.results, 'results', (taskId) => `task ${taskId} is reported twice`);
    const own = body.next ? await ownProviders(principal, body.next.providerIds) : undefined;
    const requestId = c.get('requestId');
    const storing = Promise.all(
      body.results.map(async ({ taskId, ...report }) => {
        try {
          const outcome = await deps.results.report(principal, taskId, report, { rows: !minimal });
          if (outcome.kind === 'invalid_output') {
            const err = invalidOutput(taskId, outcome);
            return { taskId, status: err.status, state: outcome.state, problem: problemBody(err.code, err.detail, err.extra, requestId) };
          }
          return { taskId, status: 200, state: outcome.state, ...(outcome.row ? { task: toTaskJson(outcome.row) } : {}) };
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          return { taskId, status: err.status, problem: problemBody(err.code, err.detail, err.extra, requestId) };
        }
      }),
    );
    // The claim needs nothing from the reports, so both run at once (two statements side by
    // side, not one after the other). Should storing fail, what was claimed goes back.
    const claiming = own && body.next ? claimFor(c, principal, own, body.next) : Promise.resolve(undefined);
    const [stored, claimed] = await Promise.allSettled([storing, claiming]);
    if (stored.status === 'rejected') {
      if (claimed.status === 'fulfilled') await handBack(principal, claimed.value ?? []);
      throw stored.reason;
    }
    if (claimed.status === 'rejected') throw claimed.reason;
    const results = stored.value;
    const tasks = claimed.value;
    if (minimal) c.header('Preference-Applied', 'return=minimal');
    return c.json({ results, ...(tasks ? { tasks } : {}) }, 200);
  });

  const releaseRoute = createRoute(workRoutes.release);
  app.openapi(releaseRoute, async (c) => {
    const { taskId } = c.req.valid('param');
    const row = await releaseTask(deps, c.get('principal'), { taskId, leaseId: c.req.valid('json').leaseId });
    return c.json({ task: toTaskJson(row) }, 200);
  });

  const leaseIdOf = (query: { leaseId?: string | undefined }, header: string | undefined): string => {
    const leaseId = query.leaseId ?? header;
    if (!leaseId || !z.uuid().safeParse(leaseId).success) {
      throw new ApiError('invalid_request', `pass the lease id as ?leaseId= or the ${leaseIdHeader} header`, { field: 'query.leaseId' });
    }
    return leaseId;
  };

  const readFileRoute = createRoute(workRoutes.readFile);
  app.openapi(readFileRoute, async (c) => {
    const { taskId, fileId } = c.req.valid('param');
    const leaseId = leaseIdOf(c.req.valid('query'), c.req.header(leaseIdHeader));
    const { info, body } = await readTaskInputFile(deps, c.get('principal'), { taskId, fileId, leaseId });
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': info.mimeType,
        'content-length': String(info.size),
        'content-disposition': contentDisposition(info.name),
      },
    });
  });

  const writeFileRoute = createRoute(workRoutes.writeFile);
  app.openapi(writeFileRoute, async (c) => {
    const { taskId } = c.req.valid('param');
    const leaseId = leaseIdOf(c.req.valid('query'), c.req.header(leaseIdHeader));
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const info = await writeTaskOutputFile(deps, c.get('principal'), {
      taskId,
      leaseId,
      bytes,
      mimeType: parseUploadMimeType(c.req.header('content-type')),
      name: parseUploadName(c.req.header(headers.fileName), undefined, 'output'),
    });
    return c.json(info, 201);
  });

  return app;
}
