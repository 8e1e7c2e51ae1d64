import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server on which test providers park until the test opens their gate. */
export interface Gate {
  /** Base URL; a provider GETs `${url}/<key>` and gets its answer once the gate is open. */
  url: string;
  /** Opens one gate (now or before anyone waits on it). */
  open(key: string | number): void;
  /** How many requests are waiting on a gate right now. */
  waiting(key: string | number): number;
  close(): Promise<void>;
}

/**
 * Lets a test decide when a provider's task finishes, with no timers: the handler awaits a GET
 * that the test answers by opening the gate. A handler whose task is aborted drops its request.
 */
export async function startGate(): Promise<Gate> {
  const opened = new Set<string>();
  const parked = new Map<string, Set<ServerResponse>>();
  const server = createServer((req, res) => {
    const key = decodeURIComponent((req.url ?? '/').slice(1));
    if (opened.has(key)) return void res.end('open');
    const set = parked.get(key) ?? new Set();
    parked.set(key, set);
    set.add(res);
    res.on('close', () => set.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    open(key) {
      opened.add(String(key));
      for (const res of parked.get(String(key)) ?? []) res.end('open');
      parked.delete(String(key));
    },
    waiting: (key) => parked.get(String(key))?.size ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
