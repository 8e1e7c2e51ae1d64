import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { seedTokens } from './auth/seed-tokens.ts';
import { bootstrapAdminToken, bootstrapLockKey } from './auth/tokens.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startMetricsListener } from './http/metrics-listener.ts';
import { createCoordinator } from './coordinator.ts';
import { createDb, type Db } from './db/create-db.ts';
import { isDatabaseUnavailable } from './db/database-errors.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { answerClientError } from './http/client-error.ts';
import { createLogger } from './logger.ts';

/** How long a graceful stop waits for requests in flight before it cuts them, ms. */
const drainMs = 10_000;

/** A start failure an operator can act on: one line, exit code 1, no stack trace. */
class StartError extends Error {}

// The process edge: the only place that reads the environment, binds a port and handles signals.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // The driver reports a lost database on promises nobody awaits too; that is an outage the
  // coordinator rides out (requests answer 503 meanwhile), not a reason to exit.
  process.on('unhandledRejection', (err) => {
    if (isDatabaseUnavailable(err)) return logger.warn({ err }, 'database unreachable (unawaited operation)');
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });

  let db: Db;
  try {
    db = await createDb({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      onBackgroundError: (err) => logger.warn({ err }, 'LISTEN connection lost; listening again'),
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new StartError(err.message);
    if (isDatabaseUnavailable(err)) throw new StartError(`cannot reach the database: ${(err as Error).message}`);
    throw err;
  }
  const coordinator = createCoordinator({ config, db, logger });
  await coordinator.start();

  const server = createAdaptorServer({ fetch: coordinator.app.fetch }) as Server;
  // Long-polls and event streams legitimately hold a request open for minutes.
  server.requestTimeout = 0;
  server.on('clientError', answerClientError);
  let address: AddressInfo;
  try {
    address = await listen(server, config.PORT, config.HOST);
  } catch (err) {
    await coordinator.stop();
    await db.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartError(`port ${config.PORT} on ${config.HOST} is already in use (set PORT to another one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new StartError(`cannot listen on ${config.HOST}:${config.PORT} (${code})`);
    throw err;
  }

  // Only now that the port is ours: a start that fails above leaves no token behind.
  const bootstrap = await bootstrapAdminToken(db.db, config.TASKPROC_ADMIN_TOKEN);
  const seeded = await seedTokens(db.db, config.TASKPROC_SEED_TOKENS, bootstrapLockKey);
  if (seeded > 0) logger.info({ seeded }, 'stored tokens from TASKPROC_SEED_TOKENS');
  if (bootstrap) {
    console.log(
      `\nFirst start: created an admin token. It is shown only this once; store it now:\n\n  ${bootstrap}\n\n` +
        'Create app and provider tokens with it (POST /v1/admin/tokens) or with `npm run cli -- token create`.\n',
    );
  }
  logger.info({ address: address.address, port: address.port, database: db.kind }, 'taskproc coordinator listening');
  let metricsServer: Server | undefined;
  if (config.TASKPROC_METRICS_PORT !== undefined) {
    try {
      const metrics = await startMetricsListener(coordinator.deps.metrics, config.TASKPROC_METRICS_PORT, config.TASKPROC_METRICS_HOST);
      metricsServer = metrics.server;
      logger.info({ address: metrics.address.address, port: metrics.address.port }, 'metrics listening (GET /metrics, no token)');
      console.log(`taskproc metrics on http://${metrics.address.address}:${metrics.address.port}/metrics`);
    } catch (err) {
      throw new StartError(`cannot listen for metrics on ${config.TASKPROC_METRICS_HOST}:${config.TASKPROC_METRICS_PORT}: ${(err as Error).message}`);
    }
  }
  // Machine-readable line for tools (and tests) that start the coordinator on port 0.
  console.log(`taskproc listening on http://${address.address}:${address.port}`);

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    // No new connections; parked claims answer empty at once; requests in flight finish.
    metricsServer?.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await coordinator.stop();
    // Streams and parked requests answer now; their keep-alive connections then fall idle and
    // are closed as they do, rather than held until the cut.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const cut = setTimeout(() => server.closeAllConnections(), drainMs);
    await closed;
    clearInterval(sweep);
    clearTimeout(cut);
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

main().catch((err: unknown) => {
  if (err instanceof StartError) console.error(`taskproc: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
