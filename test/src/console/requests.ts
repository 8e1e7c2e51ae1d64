import type { Page, Request, Route } from 'playwright-core';

// The page's own requests as a test sees them: held back to prove what the page shows came
// another way (its event streams), or counted.

export interface HeldRequests {
  /** How many are held now. */
  count(): number;
  /** Resolves once `n` requests are held (the page has sent them). */
  atLeast(n: number): Promise<void>;
  /** Lets the held requests go on, and the next ones through. */
  release(): Promise<void>;
}

/** Holds every request of the page to a URL matching `pattern` (method GET) until `release()`. */
export async function holdRequests(page: Page, pattern: RegExp): Promise<HeldRequests> {
  const held: Route[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const handler = (route: Route) => {
    if (route.request().method() !== 'GET') return void route.continue();
    held.push(route);
    for (const w of waiters.filter((w) => held.length >= w.n)) w.resolve();
  };
  await page.route(pattern, handler);
  return {
    count: () => held.length,
    atLeast: (n) => (held.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    release: async () => {
      await page.unroute(pattern, handler);
      // A request the page gave up on meanwhile (it left the view) cannot go on, and need not.
      await Promise.all(held.splice(0).map((route) => route.continue().catch(() => undefined)));
    },
  };
}

/** Counts the page's requests with `method` to a URL matching `pattern`, from now on. */
export function countRequests(page: Page, method: string, pattern: RegExp): { count(): number; stop(): void } {
  let count = 0;
  const onRequest = (request: Request) => {
    if (request.method() === method && pattern.test(request.url())) count += 1;
  };
  page.on('request', onRequest);
  return { count: () => count, stop: () => page.off('request', onRequest) };
}

/** Fails every request of the page to a URL matching `pattern` as a refused connection, until `end()`. */
export async function failRequests(page: Page, pattern: RegExp): Promise<{ end(): Promise<void> }> {
  const handler = (route: Route) => route.abort('connectionrefused');
  await page.route(pattern, handler);
  return { end: () => page.unroute(pattern, handler) };
}
