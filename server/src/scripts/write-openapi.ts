import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiInfo } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createCoordinator } from '../coordinator.ts';
import type { Database, Db } from '../db/create-db.ts';
import type { FileStore } from '../files/file-store.ts';
import { createLogger } from '../logger.ts';

// `npm run openapi`: writes spec/openapi.json from the route definitions, the same document the
// coordinator serves at /openapi.json (test/test/openapi.test.ts fails when the copy is stale).
// Building the document touches no database or file store, so both are stand-ins that fail loudly
// if a route factory ever starts using them at construction time.

const outputPath = fileURLToPath(new URL('../../../spec/openapi.json', import.meta.url));

function unavailable(what: string): never {
  throw new Error(`write-openapi has no ${what}: route factories must not use it while building routes`);
}

const noDatabase = new Proxy({} as Database, {
  get: (_target, property) => unavailable(`database (db.${String(property)})`),
});
const db: Db = {
  db: noDatabase,
  kind: 'pglite',
  query: async () => unavailable('database (query)'),
  notify: async () => unavailable('database (notify)'),
  listen: async () => unavailable('database (listen)'),
  onListenRestored: () => unavailable('database (onListenRestored)'),
  otherCoordinators: async () => unavailable('database (otherCoordinators)'),
  close: async () => {},
};
const fileStore: FileStore = new Proxy({} as FileStore, {
  get: (_target, property) => unavailable(`file store (${String(property)})`),
});

// Defaults only, never this shell's environment: the document must not depend on who generated it.
const config = loadConfig({});
const { app } = createCoordinator({ config, db, fileStore, logger: createLogger('silent') });
const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: openApiInfo });
writeFileSync(outputPath, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${outputPath}`);
