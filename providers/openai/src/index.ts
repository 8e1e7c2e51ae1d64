/**
 * @taskproc/provider-openai: the built-in task types an OpenAI-compatible API can do, on OpenAI
 * or any OpenAI-compatible server. `main.ts` runs it as a process; these exports let other
 * entry points and tests assemble the same providers.
 */
export { loadConfig, ConfigError, EnvSchema, type OpenAiProviderConfig } from './config.ts';
export { createOpenAiClient } from './create-client.ts';
export { createOpenAiProviders } from './providers.ts';
export { sleepAbortably, type OpenAiDeps, type TaskContext, type Sleep } from './task-context.ts';
export { taskKinds, type TaskKind } from './task-kinds.ts';
