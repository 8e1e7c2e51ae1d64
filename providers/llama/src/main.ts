/**
 * The llama provider process: environment -> configuration -> the model loaded once -> providers
 * -> long-poll loop until SIGINT/SIGTERM. The only module that reads process.env or exits. Every
 * start-time problem (a bad variable, the model file, memory) is printed on stderr and ends the
 * process with exit code 1 before it registers, so no task ever reaches a provider that cannot work.
 */
import { attachShutdownListeners, createDefaultLogger, runProviders } from '@taskproc/provider-sdk';
import { ConfigError, loadConfig } from './config.ts';
import { createGenerator } from './generator.ts';
import { loadModel } from './load-model.ts';
import { createLlamaProviders } from './providers.ts';
import { createSequencePool } from './sequence-pool.ts';
import { StartError } from './start-error.ts';

function exitOnStartError(error: unknown): never {
  if (!(error instanceof ConfigError) && !(error instanceof StartError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const config = (() => {
  try {
    return loadConfig(process.env);
  } catch (error) {
    exitOnStartError(error);
  }
})();
// Logs on stderr, like the SDK's and the coordinator's; stdout keeps the one readiness line.
const logger = createDefaultLogger(config.logLevel);
const loaded = await loadModel(config, logger).catch(exitOnStartError);

const pool = createSequencePool(loaded.context, config.concurrency);
const generator = createGenerator(loaded.model, loaded.chatWrapper, pool, loaded.contextSize);
const providers = createLlamaProviders({
  deps: { generator, config },
  enabledKinds: config.enabledKinds,
  providerPrefix: config.providerPrefix,
  serviceName: config.serviceName,
});

const runner = runProviders({
  url: config.taskprocUrl,
  token: config.taskprocToken,
  providers,
  // One task per sequence: the SDK never claims more than the context can run at once.
  concurrency: config.concurrency,
  graceMs: config.graceMs,
  logger,
});
attachShutdownListeners(runner);
runner.ready.then(
  () => {
    logger.info({ providers: providers.map((p) => p.id), model: config.modelPath }, 'llama provider ready');
    console.log(`llama provider ready (${providers.length} task types, ${config.concurrency} parallel, ${config.modelPath})`);
  },
  () => {}, // a failed start comes out of runner.done below
);
try {
  await runner.done;
} catch (error) {
  // A bad token or a refused registration: retrying would not help, so the process says so and ends.
  logger.error({ err: error }, 'llama provider stopped on a fatal error');
  process.exitCode = 1;
} finally {
  // The native backend holds threads and memory; freeing it lets the process end by itself.
  await loaded.dispose();
}
