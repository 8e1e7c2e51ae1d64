import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A webhook receiver on 127.0.0.1 for the webhook suites: records every call and answers what
// the test scripted for its path.

export interface ReceivedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The query string exactly as received, without `?` (what a GET call's signature covers). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  /** Answers for calls to `path`, in order; the last one repeats. Default 200. */
  script(path: string, statuses: number[]): void;
  /** Resolves with the calls to `path` once there are `count` of them. */
  waitForCalls(path: string, count: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  callsTo(path: string): ReceivedCall[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const scripts = new Map<string, number[]>();
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      calls.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        rawQuery: url.search.slice(1),
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      const script = scripts.get(url.pathname) ?? [200];
      const status = script.length > 1 ? script.shift()! : script[0]!;
      res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {}).end('ok');
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callsTo = (path: string) => calls.filter((c) => c.path === path);
  return {
    url,
    calls,
    script: (path, statuses) => scripts.set(path, [...statuses]),
    callsTo,
    waitForCalls(path, count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (callsTo(path).length < count) return;
          cleanup();
          resolve(callsTo(path));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${path} got ${callsTo(path).length} of ${count} calls within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
