import {
  AuthenticationError,
  backoffDelay,
  controlEventNames,
  createSseParser,
  LeaseEnded,
  NotFoundError,
  PermissionDeniedError,
  readSseMessages,
  sleep,
  streamRetryMs,
} from '@taskproc/spec';
import type { Logger } from '../logger.ts';
import type { WorkApi } from './work-api.ts';

export interface ControlStreamOptions {
  api: WorkApi;
  providerIds: readonly string[];
  logger: Logger;
  /** A task's lease ended: stop its work now. */
  onLeaseEnded(notice: LeaseEnded): void;
  /**
   * The stream is back after a break: lease ends during the break were not heard, so every
   * held lease should be checked once (a heartbeat each).
   */
  onReconnected(): void;
  /** Ends the stream for good. */
  signal: AbortSignal;
}

/** Three missed heartbeats of the coordinator (one every 15 s by default). */
const idleTimeoutMs = 45_000;

/**
 * Keeps `GET /v1/work/control` open for as long as the runner runs, reconnecting with backoff,
 * so a cancellation reaches the task in milliseconds instead of at its next heartbeat. Messages
 * have no ids, so nothing is replayed: after a break `onReconnected` lets the runner check its
 * leases, and the heartbeats stay the fallback throughout. A coordinator without the route
 * (404) or a refused token ends it quietly: the heartbeats then do the whole job.
 */
export async function runControlStream(options: ControlStreamOptions): Promise<void> {
  const { api, logger, signal } = options;
  let failures = 0;
  let connectedBefore = false;
  while (!signal.aborted) {
    const connection = new AbortController();
    const onStop = () => connection.abort();
    signal.addEventListener('abort', onStop, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const rearm = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => connection.abort(), idleTimeoutMs);
    };
    try {
      const res = await api.control(options.providerIds, connection.signal);
      if (!res.body) throw new Error('the control stream has no body');
      failures = 0;
      // From here on every lease end is heard; what ended during the break is checked once.
      if (connectedBefore) options.onReconnected();
      connectedBefore = true;
      rearm();
      for await (const message of readSseMessages(res.body, createSseParser(), { onChunk: rearm, signal: connection.signal })) {
        if (message.event !== controlEventNames.leaseEnded) continue;
        const notice = LeaseEnded.safeParse(parseJson(message.data));
        if (notice.success) options.onLeaseEnded(notice.data);
        else logger.warn({ data: message.data }, 'control stream: a message that does not match the protocol');
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof NotFoundError || err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
        logger.warn({ err }, 'control stream refused; cancellations reach tasks at their next heartbeat');
        return;
      }
      failures++;
      logger.debug({ err, failures }, 'control stream broke; reconnecting');
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onStop);
      connection.abort();
    }
    if (signal.aborted) return;
    // A stream the coordinator closed (restart, stop) is opened again at once; failures back off.
    const delayMs = failures === 0 ? 0 : backoffDelay(failures, { initialMs: streamRetryMs / 4, maxMs: 30_000 });
    await sleep(delayMs, signal);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
