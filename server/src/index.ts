/**
 * @taskproc/server: the coordinator as a library, for in-process tests and embedding. Only
 * main.ts binds a port; this is what it is built from.
 */
export { createCoordinator, type Coordinator, type CoordinatorOptions } from './coordinator.ts';
export { createDb, type Db } from './db/create-db.ts';
export { loadConfig, type Config } from './config.ts';
export { createLogger } from './logger.ts';
export { bootstrapAdminToken } from './auth/tokens.ts';
export { claimOneTypeSql, claimTypesSql } from './work/claim-tasks.ts';
export { insertTaskStatement } from './tasks/insert-task.ts';
