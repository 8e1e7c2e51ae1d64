import {
  ConnectionError,
  TimeoutError,
  createTransport,
  readRouteJson,
  routeRequest,
  type RouteContract,
  type RouteJsonOf,
  type RouteRequestArgs,
} from '@taskproc/spec';
import type { CliContext } from './cli-context.ts';
import { UsageError } from './usage-error.ts';

export const defaultUrl = 'http://127.0.0.1:8700';

/**
 * A request without an answer this long means the coordinator is stuck or unreachable (exit 3).
 * A coordinator that is down refuses the connection at once; this is for one that never answers.
 */
const requestTimeoutMs = 30_000;

/** The coordinator's API as commands call it: every request is built from a spec route contract. */
export interface Api {
  readonly url: string;
  /** Calls a route that answers JSON, checked against the route's schema. */
  json<R extends RouteContract>(route: R, args: RouteRequestArgs<R>): Promise<RouteJsonOf<R>>;
  /** Calls a route that answers without a body (204). */
  send<R extends RouteContract>(route: R, args: RouteRequestArgs<R>): Promise<void>;
}

export interface Connection {
  url: string;
  token: string;
}

/** URL and token from the flags, else the environment; a missing token is a usage error. */
export function resolveConnection(flags: { url?: string; token?: string }, env: CliContext['env']): Connection {
  const url = flags.url ?? env.TASKPROC_URL ?? defaultUrl;
  const source = flags.url !== undefined ? '--url' : 'TASKPROC_URL';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${source}: "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${source}: "${url}" is not an http(s) URL`);
  const token = flags.token ?? env.TASKPROC_TOKEN;
  if (!token) throw new UsageError('no token: pass --token or set TASKPROC_TOKEN (an admin token for most commands)');
  return { url, token };
}

export function createApi(connection: Connection, fetchImpl: typeof fetch): Api {
  const transport = createTransport({ url: connection.url, token: connection.token, fetch: fetchImpl, timeoutMs: requestTimeoutMs });
  // The transport's message names the request; a person also needs to know which coordinator.
  const call: typeof transport = async (request) => {
    try {
      return await transport(request);
    } catch (err) {
      if (err instanceof TimeoutError) throw new TimeoutError(`no answer from ${connection.url}: ${err.message}`, { cause: err });
      if (err instanceof ConnectionError) throw new ConnectionError(`cannot reach the coordinator at ${connection.url}: ${err.message}`, { cause: err });
      throw err;
    }
  };
  return {
    url: connection.url,
    async json(route, args) {
      return readRouteJson(route, await call(routeRequest(route, args)));
    },
    async send(route, args) {
      await call(routeRequest(route, args));
    },
  };
}
