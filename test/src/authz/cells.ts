import { inProcessUrl } from '../in-process-coordinator.ts';
import type { Caller } from './callers.ts';
import type { Probe, ProbeRequest } from './probes.ts';

/**
 * What a cell expects: a status, with the problem `code` implied for the common refusals, or
 * `'<status> <code>'` for any other refusal (e.g. `'409 provider_conflict'`).
 */
export type Expected = number | `${number} ${string}`;

const impliedCodes: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

function parseExpected(expected: Expected): { status: number; code?: string } {
  if (typeof expected === 'number') {
    if (expected < 300) return { status: expected };
    const code = impliedCodes[expected];
    if (!code) throw new Error(`expected ${expected} needs its code in the table, as '${expected} <code>'`);
    return { status: expected, code };
  }
  const [status, code] = expected.split(' ');
  return { status: Number(status), code: code! };
}

/** An answer as a cell judges it. */
export interface Answer {
  status: number;
  contentType: string;
  wwwAuthenticate: string | null;
  body: any;
}

type Routes = ReadonlyArray<{ method: string; path: string }>;

/**
 * The routes an app serves, as `METHOD /path`, once each. Middleware entries (method ALL, or a
 * `*` path) are left out by the same rule the server's own 405 answer uses (allowedMethods).
 */
export function servedRoutes(routes: Routes): string[] {
  const keys = new Set<string>();
  for (const { method, path } of routes) {
    if (method === 'ALL' || path.includes('*')) continue;
    keys.add(`${method} ${path}`);
  }
  return [...keys].sort();
}

/**
 * Sends one request to the app in process. An event stream is cut as soon as its head arrives:
 * the status is the cell's answer, and an open stream would keep the coordinator busy.
 */
export async function send(
  fetchApp: (request: Request) => Response | Promise<Response>,
  authorization: string | undefined,
  method: string,
  probe: ProbeRequest,
): Promise<Answer> {
  const headers: Record<string, string> = { ...probe.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  let body = probe.body;
  if (probe.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(probe.json);
  }
  const controller = new AbortController();
  const url = new URL(probe.path, inProcessUrl);
  const res = await fetchApp(new Request(url, { method, headers, body, signal: controller.signal }));
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: any = null;
  if (contentType.includes('text/event-stream')) {
    controller.abort();
    await res.body?.cancel();
  } else {
    const text = await res.text();
    parsed = contentType.includes('json') && text ? JSON.parse(text) : text;
  }
  return { status: res.status, contentType, wwwAuthenticate: res.headers.get('www-authenticate'), body: parsed };
}

/** Everything wrong with one answer, for the cell's expectation; empty when the cell holds. */
export function judge(expected: Expected, answer: Answer, probe: Probe, caller: Caller): string[] {
  const { outcome } = probe;
  const want = parseExpected(expected);
  const wrong: string[] = [];
  // Every refusal is a problem document, whatever the table says about the cell.
  if (answer.status >= 300) {
    if (!answer.contentType.includes('application/problem+json')) wrong.push(`${answer.status} is not problem+json (${answer.contentType})`);
    if (typeof answer.body?.code !== 'string') wrong.push(`${answer.status} carries no problem code`);
  }
  if (answer.status === 401 && !answer.wwwAuthenticate?.startsWith('Bearer')) wrong.push('401 without WWW-Authenticate: Bearer');
  const got = outcome && answer.status === 200 ? outcome(answer.body) : { status: answer.status, code: answer.body?.code };
  const shown = (s: { status: number; code?: string | undefined }) => (s.code ? `${s.status} ${s.code}` : String(s.status));
  if (got.status !== want.status || (want.code !== undefined && got.code !== want.code)) {
    wrong.push(`expected ${shown(want)}, got ${shown(got)}${outcome && answer.status === 200 ? ' (inside a 200)' : ''}`);
  }
  const leak = answer.status < 300 ? probe.reveals?.(caller, answer.body) : undefined;
  if (leak !== undefined) wrong.push(`answered ${answer.status} but ${leak}`);
  return wrong;
}
