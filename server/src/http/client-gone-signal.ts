import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * An AbortSignal that fires when the HTTP client goes away while we still owe it an answer.
 * @hono/node-server aborts `c.req.raw.signal` on the response's 'close', but Node's HTTP server
 * keeps sockets half-open: a client that hangs up only sends FIN ('end' on the socket), and
 * 'close' follows once we write — for a parked long-poll, far too late: it would take a task for
 * nobody. So this watches the socket and the response itself (outside @hono/node-server, as
 * in in-process requests, it is the request's own signal). A client waiting for an answer never
 * half-closes.
 *
 * With `stopping` (the coordinator's stop signal) it also fires when the coordinator shuts down,
 * so parked requests answer at once instead of holding the shutdown up.
 */
export function clientGoneSignal(c: Context, stopping?: AbortSignal): AbortSignal {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  const socket = env?.incoming?.socket;
  const outgoing = env?.outgoing;
  if (!socket || !outgoing) return c.req.raw.signal;
  const controller = new AbortController();
  const abort = () => controller.abort(new Error('client connection closed'));
  if (socket.destroyed || socket.readableEnded || outgoing.closed || stopping?.aborted) {
    abort();
  } else {
    // Keep-alive sockets serve many requests: detach once this response is done.
    const detach = () => {
      socket.off('end', abort);
      socket.off('close', abort);
      stopping?.removeEventListener('abort', abort);
    };
    socket.once('end', abort);
    socket.once('close', abort);
    stopping?.addEventListener('abort', abort, { once: true });
    // What @hono/node-server's request signal would say, without asking for `c.req.raw.signal`:
    // that makes it build a whole web Request for this request.
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) abort();
    });
    outgoing.once('finish', detach);
    outgoing.once('close', detach);
  }
  return controller.signal;
}
