import { freemem, totalmem } from 'node:os';
import { StartError } from './start-error.ts';

export interface MemoryNeeds {
  /** The weights kept in RAM (node-llama-cpp's estimate from the tensor infos). */
  modelBytes: number;
  /** The context: KV cache of every sequence and compute buffers. */
  contextBytes: number;
  /** For the message: what the context was sized for. */
  contextSize: number;
  sequences: number;
}

/**
 * Refuses a model and context that cannot fit the machine's RAM, before loading any weight: on
 * the CPU node-llama-cpp memory-maps the weights and would start anyway, then crawl or be
 * killed on the first task. Returns a warning when they fit the total but not what is free now.
 */
export function checkMemory(needs: MemoryNeeds, ram: { totalBytes: number; freeBytes: number }): string | undefined {
  const required = needs.modelBytes + needs.contextBytes;
  const detail = `the model ${gib(needs.modelBytes)} + the context ${gib(needs.contextBytes)} (${needs.sequences} × ${needs.contextSize} tokens)`;
  if (required > ram.totalBytes) {
    throw new StartError(
      `LLAMA_MODEL_PATH: the model is too large for this machine's memory: it needs about ${gib(required)} of RAM (${detail}), the machine has ${gib(ram.totalBytes)}. ` +
        'Use a smaller or more quantized model (e.g. Q4_K_M), a smaller LLAMA_CONTEXT_SIZE or LLAMA_CONCURRENCY, or offload layers to a GPU (LLAMA_GPU_LAYERS).',
    );
  }
  if (required > ram.freeBytes) {
    return `the model needs about ${gib(required)} of RAM (${detail}) and ${gib(ram.freeBytes)} is free now: expect swapping`;
  }
  return undefined;
}

/**
 * The RAM this process may use: the machine's, or the cgroup's limit when a container sets a
 * smaller one (os.totalmem() reports the host's, and the kernel kills a process that passes
 * the limit, on the first task rather than at start).
 */
export function availableMemory(): { totalBytes: number; freeBytes: number } {
  const limit = process.constrainedMemory?.() ?? 0;
  const totalBytes = limit > 0 && limit < totalmem() ? limit : totalmem();
  const freeBytes = Math.min(freemem(), Math.max(0, totalBytes - process.memoryUsage.rss()));
  return { totalBytes, freeBytes };
}

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
