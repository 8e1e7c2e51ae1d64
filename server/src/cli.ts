import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from './cli/usage-error.ts';
import { runCli } from './cli/run-cli.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/create-db.ts';

// `npm run cli -- <command>`: an entry point like main.ts, the only CLI file that reads the
// environment. It opens the same database the coordinator uses (DATA_DIR or DATABASE_URL).
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  return runCli(process.argv.slice(2), {
    async openDb() {
      if (!config.DATABASE_URL) {
        // Embedded PGlite is single-process: a second process on the same directory corrupts it.
        // PGlite keeps postmaster.pid while open and removes it on a clean close.
        const pidFile = join(config.DATA_DIR, 'pglite', 'postmaster.pid');
        if (existsSync(pidFile)) {
          throw new CommandError(
            `the PGlite database in ${config.DATA_DIR} is open in another process (a running coordinator?). ` +
              `Stop it first, or use the HTTP admin API (POST /v1/admin/tokens). If nothing is running ` +
              `(the coordinator was killed), remove ${pidFile}.`,
          );
        }
      }
      return createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    },
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
    now: () => new Date(),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
