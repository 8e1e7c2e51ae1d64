import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { bootstrapAdminToken } from './auth/tokens.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createCoordinator } from './coordinator.ts';
import { createDb } from './db/create-db.ts';
import { createLogger } from './logger.ts';

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
  const db = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const bootstrap = await bootstrapAdminToken(db.db, config.TASKPROC_ADMIN_TOKEN);
  if (bootstrap) {
    console.log(
      `\nFirst start: created an admin token. It is shown only this once; store it now:\n\n  ${bootstrap}\n\n` +
        'Create app and provider tokens with it (POST /v1/admin/tokens) or with `npm run cli -- token create`.\n',
    );
  }
  const coordinator = createCoordinator({ config, db, logger });
  await coordinator.start();

  const server = serve({ fetch: coordinator.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ address: info.address, port: info.port, database: db.kind }, 'taskproc coordinator listening');
    // Machine-readable line for tools (and tests) that start the coordinator on port 0.
    console.log(`taskproc listening on http://${info.address}:${info.port}`);
  });
  // Long-polls and event streams legitimately hold a request open for minutes.
  (server as Server).requestTimeout = 0;

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    await coordinator.stop();
    server.close();
    (server as Server).closeAllConnections();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
