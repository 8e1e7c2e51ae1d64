/**
 * @taskproc/provider-llama: the text task types served by a GGUF model loaded into this process
 * with node-llama-cpp. `main.ts` runs it as a process; these exports let other entry points
 * and tests assemble the same pieces.
 */
export { loadConfig, ConfigError, EnvSchema, type LlamaProviderConfig, type GenerationSettings } from './config.ts';
export { loadModel, type LoadedModel, type LoadLogger } from './load-model.ts';
export { checkModelFile } from './model-file.ts';
export { checkMemory, type MemoryNeeds } from './memory-check.ts';
export { StartError } from './start-error.ts';
export { createSequencePool, type SequencePool, type LentSequence } from './sequence-pool.ts';
export { createGenerator, renderPrompt, type Generator, type GenerateRequest, type GenerationContext } from './generator.ts';
export { createLlamaProviders, type LlamaProvidersOptions } from './providers.ts';
export { splitToFit, inputBudgetTokens } from './split-to-fit.ts';
export { taskKinds, type TaskKind } from './task-kinds.ts';
export type { LlamaDeps, TaskContext } from './tasks/deps.ts';
