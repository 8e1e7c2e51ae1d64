import { isDeepStrictEqual } from 'node:util';
import { Task, errorCatalogue, problemContentType, validateSlots, type ErrorCode } from '@taskproc/spec';
import type { Db } from '@taskproc/server';
import type { Http } from '../http.ts';
import { fingerprintDatabase } from './db-fingerprint.ts';
import { effectiveRoute, type FuzzRequest } from './fuzz-request.ts';
import type { FuzzWorld } from './fuzz-world.ts';
import { inputRulesOf, outputRulesOf } from './rules-of.ts';

// The properties every answer must have, whatever was sent: no 5xx; an error is problem+json
// with a stable code whose status it carries; a refused request wrote nothing; and what was
// accepted is whole: a scheduled task, read back, is a valid Task whose input fits its type, and
// an output a report stored fits the output shape of the provider that reported it.

export interface Answer {
  status: number;
  contentType: string;
  body: any;
}

/** Refusals that write by design: invalid output is refused and fails its task. */
const writingRefusals: ReadonlySet<ErrorCode> = new Set(['invalid_output']);

export type ViolationKind = 'server_error' | 'not_a_problem' | 'half_written' | 'invalid_accepted';

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface CheckContext {
  db: Db;
  admin: Http;
  world: FuzzWorld;
}

function problemViolation(answer: Answer): Violation | undefined {
  if (!answer.contentType.includes(problemContentType)) return { kind: 'not_a_problem', detail: `content-type ${answer.contentType}` };
  const code = answer.body?.code as ErrorCode | undefined;
  if (typeof code !== 'string' || !Object.hasOwn(errorCatalogue, code)) return { kind: 'not_a_problem', detail: `code ${JSON.stringify(code)}` };
  if (errorCatalogue[code].status !== answer.status) return { kind: 'not_a_problem', detail: `${code} answered as ${answer.status}` };
  return undefined;
}

/** Tasks an accepted answer carries: the task itself, `task`, and those of claims and batches. */
function tasksIn(request: FuzzRequest, body: any): unknown[] {
  if (body === null || typeof body !== 'object') return [];
  if (effectiveRoute(request) === 'POST /v1/tasks') return [body];
  const found: unknown[] = [];
  if (body.task) found.push(body.task);
  for (const item of Array.isArray(body.tasks) ? body.tasks : []) found.push(item?.task ?? item);
  for (const item of Array.isArray(body.results) ? body.results : []) if (item?.task) found.push(item.task);
  return found;
}

async function acceptedViolation(ctx: CheckContext, request: FuzzRequest, answer: Answer): Promise<Violation | undefined> {
  const tasks = tasksIn(request, answer.body);
  if (tasks.length === 0) return undefined;
  await ctx.world.refresh();
  for (const task of tasks) {
    const parsed = Task.safeParse(task);
    if (!parsed.success) return { kind: 'invalid_accepted', detail: `not a Task: ${parsed.error.message}` };
    const type = ctx.world.listing.get(parsed.data.type);
    if (!type) return { kind: 'invalid_accepted', detail: `task ${parsed.data.id} has a type the listing does not know` };
    if (effectiveRoute(request) === 'POST /v1/tasks' && answer.status === 201) {
      // Read back from the coordinator: the stored row, not the answer built beside it.
      const stored = await ctx.admin.get(`/v1/tasks/${parsed.data.id}`);
      const input = validateSlots(stored.body?.input ?? {}, inputRulesOf(type), 'input');
      if (stored.status !== 200 || !Task.safeParse(stored.body).success) return { kind: 'invalid_accepted', detail: `task ${parsed.data.id} reads back as ${stored.status}` };
      if (!input.ok) return { kind: 'invalid_accepted', detail: `stored input of task ${parsed.data.id}: ${input.error.detail}` };
      if (!isDeepStrictEqual(input.values, stored.body.input)) return { kind: 'invalid_accepted', detail: `stored input of task ${parsed.data.id} lacks its defaults` };
    }
    const reported = /^POST \/v1\/work\/(\{taskId\}\/result|results)$/.test(effectiveRoute(request));
    if (reported && parsed.data.status === 'successful') {
      const provider = parsed.data.providerId === null ? undefined : ctx.world.providers.get(parsed.data.providerId);
      const output = validateSlots(parsed.data.output ?? {}, outputRulesOf(type, provider), 'output');
      if (parsed.data.output === null || !output.ok) return { kind: 'invalid_accepted', detail: `stored output of task ${parsed.data.id}: ${output.ok ? 'null' : output.error.detail}` };
    }
  }
  return undefined;
}

/** Every property of one answer; `before` is the fingerprint taken right before the request. */
export async function checkAnswer(ctx: CheckContext, request: FuzzRequest, answer: Answer, before: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  if (answer.status >= 500) violations.push({ kind: 'server_error', detail: `${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}` });
  if (answer.status >= 400) {
    const problem = problemViolation(answer);
    if (problem) violations.push(problem);
    if (!writingRefusals.has(answer.body?.code)) {
      const after = await fingerprintDatabase(ctx.db);
      if (after !== before) violations.push({ kind: 'half_written', detail: `the database changed: ${before} -> ${after}` });
    }
  } else if (answer.status >= 200 && answer.status < 300) {
    const accepted = await acceptedViolation(ctx, request, answer);
    if (accepted) violations.push(accepted);
  }
  return violations;
}
