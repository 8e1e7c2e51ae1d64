/** One violation as Prism puts it in the `sl-violations` header (prism-http-server's createErrorObjectWithPrefix). */
export interface PrismViolation {
  /** `request` or `response`, then the path into the message, e.g. `["response", "body", "task", "status"]`. */
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

/** A call that went through Prism, as the fetch wrapper saw it. */
export interface ProxiedCall {
  /** Who sent it: `app`, `provider`, ... */
  caller: string;
  method: string;
  /** Path and query, as sent. */
  path: string;
  status: number;
  violations: PrismViolation[];
}

/** Calls sent straight to the coordinator, by `METHOD path` without the query. */
export type DirectCalls = Map<string, number>;

export interface ProxyTally {
  /** Calls Prism answered. */
  readonly calls: ProxiedCall[];
  /** Calls sent to Prism that got no answer (a long-poll the runner aborted when it stopped). */
  readonly unanswered: number;
  readonly direct: DirectCalls;
  /**
   * A fetch for a client built with `url: prism.url`: counts every call and keeps the violations
   * Prism reported for it. Requests `goDirect` picks are sent to the coordinator instead.
   */
  fetchFor(caller: string): typeof fetch;
  /**
   * What Prism flagged, one line per caller, route, status and violation, with how often and
   * one example path: `caller METHOD /v1/files/{n} -> 200: [Error] response: ... (×12, e.g. /v1/files/5)`.
   */
  flagged(): string[];
  /** Routes seen (`METHOD /v1/tasks/{n}`) with their statuses, for the summary. */
  routes(): Map<string, Set<number>>;
}

/**
 * Counts what goes through Prism and what does not. `goDirect(method, pathname)` names requests
 * that cannot go through a buffering proxy (server-sent event streams that never end).
 */
export function createProxyTally(options: {
  prismUrl: string;
  coordinatorUrl: string;
  goDirect: (method: string, pathname: string) => boolean;
}): ProxyTally {
  const calls: ProxiedCall[] = [];
  let unanswered = 0;
  const direct: DirectCalls = new Map();
  const prism = new URL(options.prismUrl);
  const coordinator = new URL(options.coordinatorUrl);

  const fetchFor = (caller: string): typeof fetch => async (input, init) => {
    // The clients call fetch(url, init); a Request is not built here, so a body is read only once.
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (url.origin !== prism.origin) throw new Error(`${caller} called ${url.origin}, not the proxy`);
    if (options.goDirect(method, url.pathname)) {
      const key = `${method} ${url.pathname}`;
      direct.set(key, (direct.get(key) ?? 0) + 1);
      return fetch(new URL(url.pathname + url.search, coordinator), init ?? {});
    }
    let res: Response;
    try {
      res = await fetch(input, init);
    } catch (err) {
      unanswered++;
      throw err;
    }
    calls.push({
      caller,
      method,
      path: url.pathname + url.search,
      status: res.status,
      violations: parseViolations(res.headers.get('sl-violations')),
    });
    return res;
  };

  return {
    calls,
    get unanswered() {
      return unanswered;
    },
    direct,
    fetchFor,
    flagged() {
      const groups = new Map<string, { count: number; example: string }>();
      for (const call of calls) {
        for (const v of call.violations) {
          const key = `${call.caller} ${routeOf(call)} -> ${call.status}: [${v.severity}] ${v.location.join('.')}: ${v.message}`;
          const group = groups.get(key) ?? { count: 0, example: call.path };
          group.count++;
          groups.set(key, group);
        }
      }
      return [...groups].map(([key, { count, example }]) => `${key} (×${count}, e.g. ${example})`);
    },
    routes() {
      const routes = new Map<string, Set<number>>();
      for (const call of calls) routes.set(routeOf(call), (routes.get(routeOf(call)) ?? new Set()).add(call.status));
      return routes;
    },
  };
}

/** `POST /v1/work/{n}/files`: the method and the path without query, numeric ids folded. */
function routeOf(call: ProxiedCall): string {
  return `${call.method} ${call.path.replace(/\?.*$/, '').replace(/\/\d+(?=\/|$)/g, '/{n}')}`;
}

function parseViolations(header: string | null): PrismViolation[] {
  if (!header) return [];
  // Prism cuts a header longer than 8 KB and says so in front of the cut JSON.
  if (header.startsWith('Too many violations!')) return [{ location: ['(header)'], severity: 'Error', message: header }];
  return JSON.parse(header) as PrismViolation[];
}
