import { GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import type { LlamaProviderConfig } from './config.ts';
import { availableMemory, checkMemory } from './memory-check.ts';
import { StartError } from './start-error.ts';

/**
 * What node-llama-cpp reads of the model from its GGUF header, before a weight is loaded; throws
 * a StartError for a file that is not valid GGUF or a model that cannot write text here.
 */
export async function readInsights(llama: Llama, path: string): Promise<{ insights: GgufInsights; architecture: string | undefined }> {
  let insights: GgufInsights;
  try {
    insights = await GgufInsights.from(await readGgufFileInfo(path), llama);
  } catch (error) {
    throw new StartError(`LLAMA_MODEL_PATH: ${path} is not a valid GGUF file: ${(error as Error).message}`);
  }
  const architecture = insights.ggufFileInfo.metadata?.general?.architecture;
  if (!insights.isSupportedByLlamaCpp) {
    throw new StartError(`LLAMA_MODEL_PATH: ${path} is a "${architecture}" model, an architecture this llama.cpp build does not support`);
  }
  if (!insights.hasDecoder) {
    throw new StartError(`LLAMA_MODEL_PATH: ${path} is a "${architecture}" model without a decoder (an embedding model?), not one that writes text`);
  }
  return { insights, architecture };
}

/**
 * The RAM check (memory-check.ts) for what stays on the CPU side: every layer without a GPU, the
 * rest of a known number of offloaded ones. With `auto` or `max`, node-llama-cpp fits the layers
 * to the VRAM itself and refuses what does not fit. Returns a warning, or throws a StartError.
 */
export function checkRam(insights: GgufInsights, llama: Llama, config: Pick<LlamaProviderConfig, 'gpuLayers' | 'contextSize' | 'concurrency'>): string | undefined {
  const gpuLayers = llama.gpu === false ? 0 : typeof config.gpuLayers === 'number' ? config.gpuLayers : undefined;
  if (gpuLayers === undefined) return undefined;
  return checkMemory(
    {
      modelBytes: insights.estimateModelResourceRequirements({ gpuLayers }).cpuRam,
      contextBytes: insights.estimateContextResourceRequirements({ contextSize: config.contextSize, sequences: config.concurrency, modelGpuLayers: gpuLayers }).cpuRam,
      contextSize: config.contextSize,
      sequences: config.concurrency,
    },
    availableMemory(),
  );
}
