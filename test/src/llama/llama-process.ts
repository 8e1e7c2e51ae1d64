import { followProvider, type TestProvider } from '../provider-process.ts';
import { spawnTsProcess } from '../spawn-process.ts';

/**
 * Starts providers/llama as an operator would (its own entry point, its environment) and follows
 * its JSON log lines; `event(name, taskId)` matches its own lines ('generation started', ...).
 */
export function startLlamaProvider(env: Record<string, string>): TestProvider {
  return followProvider(spawnTsProcess('providers/llama/src/main.ts', { LOG_LEVEL: 'info', ...env }), 'llama provider');
}
