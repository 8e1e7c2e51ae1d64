import type OpenAI from 'openai';
import { classifyApiError, describeConnectionError } from './api-errors.ts';
import type { OpenAiProviderConfig } from './config.ts';

/** What the start-up probe found, for its one log line. */
export type ProbeOutcome =
  | { reachable: true; models: string[]; missing: string[] }
  | { reachable: false; reason: string };

/**
 * Asks the model server for its models once at start (GET /models, 5 s), so an operator sees at
 * once whether the endpoint answers and serves the configured models, rather than on the first
 * task. Never throws: a server that is down now may be up when tasks come.
 */
export async function probeModelServer(client: OpenAI, config: Pick<OpenAiProviderConfig, 'models' | 'enabledKinds'>): Promise<ProbeOutcome> {
  try {
    const page = await client.models.list({ timeout: 5_000, maxRetries: 0 });
    const models = page.data.map((m) => m.id);
    const wanted = [...new Set([...config.enabledKinds].map((kind) => config.models[kind]))];
    return { reachable: true, models, missing: wanted.filter((m) => !models.includes(m)) };
  } catch (error) {
    const failure = classifyApiError(error, { timeoutMs: 5_000, now: Date.now });
    const reason = failure.kind === 'retry' || failure.kind === 'fail' ? failure.error.message : describeConnectionError(error);
    return { reachable: false, reason };
  }
}
