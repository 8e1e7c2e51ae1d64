import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * Runs `callback` if the connection closes before this request's response was fully written:
 * the client hung up between our decision and our answer. A long-poll claim uses it to hand back
 * tasks whose leases nobody received; without it a client lost at that instant would strand its
 * tasks until their leases expire. No-op outside @hono/node-server (in-process requests).
 */
export function onResponseUndelivered(c: Context, callback: () => void): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return;
  if (outgoing.closed && !outgoing.writableFinished) {
    callback();
    return;
  }
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) callback();
  });
}
