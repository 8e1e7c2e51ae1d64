import { CommandError } from './cli/usage-error.ts';
import { runCli } from './cli/run-cli.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/create-db.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';

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
      try {
        return await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, holder: 'cli' });
      } catch (err) {
        if (err instanceof DataDirLockedError) throw new CommandError(err.message);
        throw err;
      }
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
