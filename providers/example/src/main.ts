import { attachShutdownListeners, createDefaultLogger, runProviders } from '@taskproc/provider-sdk';
import { loadExampleConfig } from './config.ts';
import { exampleProviders } from './providers.ts';

// The process edge: the only place that reads the environment and handles signals.
let config;
try {
  config = loadExampleConfig(process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

const logger = createDefaultLogger(config.LOG_LEVEL);
const runner = runProviders({
  url: config.TASKPROC_URL,
  token: config.TASKPROC_TOKEN,
  providers: exampleProviders,
  concurrency: config.CONCURRENCY,
  logger,
});
attachShutdownListeners(runner);

// Stopping (SIGINT/SIGTERM) lets the process end by itself; a fatal error sets the exit code.
runner.done.catch((err: unknown) => {
  logger.error({ err }, 'provider stopped on an error');
  process.exitCode = 1;
});
