import { useEffect, useRef } from 'preact/hooks';
import type { Connection } from '../../api/connection.ts';

/**
 * Calls `onChange` soon after any task the token can see changes, from the coordinator's event
 * stream (GET /v1/events through client.events). Bursts are coalesced into one call, so a
 * list reloads once for many events, not once each.
 */
export function useTaskEvents(connection: Connection, onChange: () => void, coalesceMs = 250): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        for await (const _event of connection.client.events({ signal: controller.signal })) {
          if (timer === undefined) {
            timer = setTimeout(() => {
              timer = undefined;
              latest.current();
            }, coalesceMs);
          }
        }
      } catch {
        // Aborted on leaving the view, or refused for good (the token was revoked): the list
        // still works, only without live updates.
      }
    })();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [connection, coalesceMs]);
}
