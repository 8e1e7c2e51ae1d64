/**
 * The OpenAI provider process: environment -> configuration -> providers -> long-poll loop until
 * SIGINT/SIGTERM. The only module that reads process.env or exits.
 */
import { attachShutdownListeners, runProviders } from '@taskproc/provider-sdk';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { createOpenAiClient } from './create-client.ts';
import { createOpenAiProviders } from './providers.ts';
import { probeModelServer } from './probe-model-server.ts';
import { sleepAbortably } from './task-context.ts';

function loadConfigOrExit() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = loadConfigOrExit();
// Logs on stderr, like the SDK's and the coordinator's; stdout keeps the one readiness line.
const logger = pino({ name: 'taskproc-openai', level: config.logLevel }, pino.destination(2));
const client = createOpenAiClient(config);
const endpoint = config.baseUrl ?? 'https://api.openai.com/v1';
const providers = createOpenAiProviders({
  client,
  config,
  sleep: sleepAbortably,
  random: Math.random,
  now: Date.now,
});
if (providers.length === 0) {
  console.error('Every task type is disabled (OPENAI_DISABLED_TYPES); nothing to serve.');
  process.exit(1);
}

const runner = runProviders({
  url: config.taskprocUrl,
  token: config.taskprocToken,
  providers,
  concurrency: config.concurrency,
  logger,
});
attachShutdownListeners(runner);
void probeModelServer(client, config).then((probe) => {
  if (!probe.reachable) logger.warn({ endpoint, reason: probe.reason }, `model server not reachable: ${probe.reason}`);
  else if (probe.missing.length > 0) logger.warn({ endpoint, missing: probe.missing, seen: probe.models.slice(0, 20) }, 'model server reachable, but it does not list every configured model');
  else logger.info({ endpoint, models: probe.models.length }, 'model server reachable, every configured model listed');
});
runner.ready.then(
  () => {
    logger.info({ providers: providers.map((p) => p.id), endpoint }, 'openai provider ready');
    console.log(`openai provider ready (${providers.length} task types, ${endpoint})`);
  },
  () => {},
);
try {
  await runner.done;
} catch (error) {
  // A bad token or a refused registration: retrying would not help, so the process says so and ends.
  logger.error({ err: error }, 'openai provider stopped on a fatal error');
  process.exitCode = 1;
}
