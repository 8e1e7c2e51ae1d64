import { runCli } from './cli/run-cli.ts';
import { CommandError, UsageError } from './cli/usage-error.ts';

// `npm run cli -- <command>`: an entry point like main.ts, the only CLI file that reads the
// environment. API commands read TASKPROC_URL and TASKPROC_TOKEN; only bootstrap opens the
// database (DATA_DIR or DATABASE_URL), so the configuration and the database layer are loaded
// only then: an API command starts without them.
async function main(): Promise<number> {
  return runCli(process.argv.slice(2), {
    env: { TASKPROC_URL: process.env.TASKPROC_URL, TASKPROC_TOKEN: process.env.TASKPROC_TOKEN },
    fetch: globalThis.fetch,
    async openDb() {
      const [{ ConfigError, loadConfig }, { createDb }, { DataDirLockedError }] = await Promise.all([
        import('./config.ts'),
        import('./db/create-db.ts'),
        import('./db/data-dir-lock.ts'),
      ]);
      let config;
      try {
        config = loadConfig(process.env);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      try {
        return await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, holder: 'cli' });
      } catch (err) {
        if (err instanceof DataDirLockedError) throw new CommandError(err.message);
        throw err;
      }
    },
    print: (line) => {
      process.stdout.write(`${line}\n`);
    },
    printError: (line) => {
      process.stderr.write(`${line}\n`);
    },
    progress: {
      isTTY: process.stderr.isTTY === true,
      get columns() {
        return process.stderr.columns;
      },
      write: (text) => {
        process.stderr.write(text);
      },
    },
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
