import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

/**
 * Hono's bodyLimit, deciding from Content-Length when the request has one (every fetch with a
 * string or bytes body does): hono's reads `c.req.raw.body`, which makes @hono/node-server build
 * a whole web Request (a ReadableStream, an AbortController) for every request and then read the
 * body through it instead of its direct fast path. Node's HTTP parser has already refused a
 * malformed Content-Length and a body longer than it says. Chunked bodies still stream through
 * hono's, which counts as it reads.
 */
export function limitBody(options: BodyLimitOptions): MiddlewareHandler {
  const streaming = bodyLimit(options);
  return async function limitBodyMiddleware(c, next) {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > options.maxSize) return options.onError(c);
      await next();
      return;
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      await next();
      return;
    }
    return streaming(c, next);
  };
}
