import { TaskProcessingClient } from '@taskproc/client';
import {
  createTransport,
  readRouteJson,
  routeRequest,
  type RouteContract,
  type RouteJsonOf,
  type RouteRequestArgs,
} from '@taskproc/spec';

/**
 * What the console talks to the coordinator with. App routes go through @taskproc/client; the
 * routes it has no method for (admin, providers) are built from the same route contracts with
 * the same transport, so no path is written here either.
 */
export interface Connection {
  client: TaskProcessingClient;
  /** Calls a route whose answer is JSON and returns it, checked against the route's schema. */
  call<R extends RouteContract>(route: R, args: RouteRequestArgs<R>): Promise<RouteJsonOf<R>>;
  /** Calls a route that answers without a body (204). */
  send<R extends RouteContract>(route: R, args: RouteRequestArgs<R>): Promise<void>;
  /** Calls `listener` whenever the coordinator answers 401; returns the way to stop. */
  onUnauthorized(listener: () => void): () => void;
}

/** The coordinator's base URL: the page is `<base>/ui`, also behind a path prefix. */
export function coordinatorUrl(): string {
  return new URL('.', location.href).href;
}

export function connect(token: string): Connection {
  const url = coordinatorUrl();
  const unauthorized = new Set<() => void>();
  // Late-bound fetch, as the client does: a page may be instrumented after load. Every call of
  // the client and the transport goes through it, so one place hears that the token stopped
  // working (revoked while the console is open): each call after it would fail the same way.
  const fetchLate: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.status === 401) for (const listener of unauthorized) listener();
    return res;
  };
  const client = new TaskProcessingClient({ url, token, fetch: fetchLate, maxRetries: 1 });
  const transport = createTransport({ url, token, fetch: fetchLate, timeoutMs: 30_000 });
  return {
    client,
    async call(route, args) {
      return readRouteJson(route, await transport(routeRequest(route, args)));
    },
    async send(route, args) {
      await transport(routeRequest(route, args));
    },
    onUnauthorized(listener) {
      unauthorized.add(listener);
      return () => unauthorized.delete(listener);
    },
  };
}
