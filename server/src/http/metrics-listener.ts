import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Metrics } from '../metrics.ts';

/**
 * The open metrics listener (TASKPROC_METRICS_PORT): GET /metrics without a token, nothing else.
 * Meant for an address only the scraper reaches; the API port keeps requiring the admin token.
 */
export async function startMetricsListener(metrics: Metrics, port: number, host: string): Promise<{ server: Server; address: AddressInfo }> {
  const app = new Hono();
  app.get('/metrics', async (c) => c.text(await metrics.scrape(), 200, { 'content-type': metrics.registry.contentType }));
  app.notFound((c) => c.text('only GET /metrics is served here\n', 404));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
  return { server, address };
}
