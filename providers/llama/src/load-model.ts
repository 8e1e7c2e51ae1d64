import type { Logger } from '@taskproc/provider-sdk';
import { getLlama, InsufficientMemoryError, LlamaLogLevel, resolveChatWrapper, type ChatWrapper, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import type { LlamaProviderConfig } from './config.ts';
import { checkModelFile } from './model-file.ts';
import { checkRam, readInsights } from './model-insights.ts';
import { StartError } from './start-error.ts';

/** The logging of the load: the SDK's logger without children (the process's pino logger). */
export type LoadLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** The one model the process loads, with one context whose sequences are the provider's slots. */
export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  /** How the model's chat template is applied (node-llama-cpp resolves it from the GGUF). */
  chatWrapper: ChatWrapper;
  /** Tokens of one sequence's context. */
  contextSize: number;
  /** Frees the context, the model and the backend; the process can then exit. */
  dispose(): Promise<void>;
}

/**
 * Loads the configured model, or throws a StartError that names what is wrong: a missing,
 * unreadable or non-GGUF file, an architecture llama.cpp does not know, a model or context too
 * large for memory. Runs before the provider registers, so no task ever meets a broken model.
 */
export async function loadModel(config: LlamaProviderConfig, logger: LoadLogger): Promise<LoadedModel> {
  const file = await checkModelFile(config.modelPath);
  const startedAt = performance.now();
  let llama: Llama;
  try {
    llama = await getLlama({
      // GPU off by default: probing the CUDA and Vulkan backends costs start time and memory.
      gpu: config.gpuLayers === 0 ? false : 'auto',
      // Prebuilt binaries only: a source build would need a compiler and the network.
      build: 'never',
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => logLlamaCpp(logger, level, message),
    });
  } catch (error) {
    throw new StartError(
      `node-llama-cpp has no usable prebuilt llama.cpp for ${process.platform}-${process.arch} here: ${(error as Error).message}`,
    );
  }
  try {
    return await loadOnto(llama, config, logger, file.bytes, startedAt);
  } catch (error) {
    await llama.dispose();
    throw error;
  }
}

async function loadOnto(llama: Llama, config: LlamaProviderConfig, logger: LoadLogger, fileBytes: number, startedAt: number): Promise<LoadedModel> {
  const path = config.modelPath;
  const backendReadyAt = performance.now();
  const { insights, architecture } = await readInsights(llama, path);
  if (config.gpuLayers !== 0 && llama.gpu === false) {
    logger.warn({ gpuLayers: config.gpuLayers }, 'LLAMA_GPU_LAYERS is set but no GPU backend is usable here; running on the CPU');
  }
  const warning = checkRam(insights, llama, config);
  if (warning) logger.warn({}, warning);

  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: path, gpuLayers: config.gpuLayers });
  } catch (error) {
    if (error instanceof InsufficientMemoryError) {
      throw new StartError(`LLAMA_MODEL_PATH: the model is too large for the memory here: ${error.message}. Lower LLAMA_GPU_LAYERS or use a smaller model.`);
    }
    throw new StartError(`LLAMA_MODEL_PATH: llama.cpp could not load ${path}: ${(error as Error).message} (its log lines above say why)`);
  }
  const weightsLoadedAt = performance.now();
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize: config.contextSize,
      sequences: config.concurrency,
      // node-llama-cpp's own default can exceed the cores (4 threads on 2), which slows every token.
      threads: config.threads ?? llama.cpuMathCores,
    });
  } catch (error) {
    await model.dispose();
    if (error instanceof InsufficientMemoryError) {
      throw new StartError(`LLAMA_CONTEXT_SIZE × LLAMA_CONCURRENCY (${config.contextSize} × ${config.concurrency} tokens) is too large for the memory here: ${error.message}`);
    }
    throw new StartError(`could not create a context of ${config.contextSize} tokens × ${config.concurrency} sequences: ${(error as Error).message}`);
  }
  const chatWrapper = resolveChatWrapper(model);
  const trainContextSize = insights.trainContextSize;
  if (trainContextSize !== undefined && config.contextSize > trainContextSize) {
    logger.warn({ contextSize: config.contextSize, trainContextSize }, 'LLAMA_CONTEXT_SIZE is larger than the context the model was trained on; answers past it degrade');
  }
  const loaded: LoadedModel = {
    llama,
    model,
    context,
    chatWrapper,
    contextSize: context.contextSize,
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
  logger.info(
    {
      event: 'model loaded',
      loadMs: Math.round(performance.now() - startedAt),
      // Where the load time goes: the native backend, the checks and weights, the context.
      backendMs: Math.round(backendReadyAt - startedAt),
      weightsMs: Math.round(weightsLoadedAt - backendReadyAt),
      contextMs: Math.round(performance.now() - weightsLoadedAt),
      path,
      fileBytes,
      architecture,
      parameters: insights.totalParameters,
      contextSize: loaded.contextSize,
      sequences: config.concurrency,
      threads: context.currentThreads,
      gpu: llama.gpu,
      gpuLayers: model.gpuLayers,
      chatWrapper: chatWrapper.wrapperName,
    },
    'model loaded',
  );
  return loaded;
}

/** llama.cpp's own log lines, in ours: its warnings and errors say why a load failed. */
function logLlamaCpp(logger: LoadLogger, level: LlamaLogLevel, message: string): void {
  const text = message.trimEnd();
  if (!text) return;
  if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) logger.error({ source: 'llama.cpp' }, text);
  else if (level === LlamaLogLevel.warn) logger.warn({ source: 'llama.cpp' }, text);
  else logger.debug({ source: 'llama.cpp' }, text);
}
