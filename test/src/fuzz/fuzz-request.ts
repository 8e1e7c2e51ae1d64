import type { CallerName } from './fuzz-world.ts';

// One fuzzed request as data: what fast-check generates, prints when a property fails, and what
// is turned into a web Request for `app.fetch`.

export interface FuzzRequest {
  /** The route template it was made for (`POST /v1/tasks/{id}/cancel`), or `unknown route`. */
  route: string;
  caller: CallerName;
  method: string;
  /** Path parameter values as put in the path (before percent-encoding). */
  params: Record<string, string>;
  /** The query string without `?` (already encoded: it may be malformed on purpose). */
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const base = 'http://coordinator.fuzz';

/**
 * The route the request is really for: its template when sent with the route's method, else
 * `<METHOD> (wrong method) <template>`, which no route answers and nothing handed out is learnt from.
 */
export function effectiveRoute(request: FuzzRequest): string {
  return request.route.startsWith(`${request.method} `) ? request.route : `${request.method} (wrong method) ${request.route.replace(/^[A-Z]+ /, '')}`;
}

/** The path with the params filled in, percent-encoded. */
export function pathOf(request: FuzzRequest): string {
  const template = request.route.replace(/^[A-Z]+ /, '');
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(request.params[name] ?? ''));
}

/** The web Request that `app.fetch` takes. */
export function toWebRequest(request: FuzzRequest): Request {
  const url = `${base}${pathOf(request)}${request.query ? `?${request.query}` : ''}`;
  const hasBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(url, { method: request.method, headers: request.headers, ...(hasBody ? { body: request.body } : {}) });
}

/** A short, printable account of the request: enough to see what was sent without a megabyte of body. */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : `<${request.body.byteLength} bytes> ${new TextDecoder().decode(request.body.subarray(0, 300))}`;
  const shown = body.length > 600 ? `${body.slice(0, 600)}... (${body.length} characters)` : body;
  const { authorization: _auth, ...headers } = request.headers;
  return `${request.method} ${pathOf(request)}${request.query ? `?${request.query.slice(0, 300)}` : ''} as ${request.caller} [${request.route}]\n  headers ${JSON.stringify(headers)}\n  body ${JSON.stringify(shown)}`;
}
