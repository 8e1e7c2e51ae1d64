import { ProcessingError, type ProviderContext } from '@taskproc/provider-sdk';
import { LlamaChat, type ChatHistoryItem, type ChatWrapper, type LlamaModel, type LlamaText } from 'node-llama-cpp';
import { createThinkFilter, type HistoryTurn, stripThinking } from '@taskproc/provider-sdk/text';
import type { GenerationSettings } from './config.ts';
import type { SequencePool } from './sequence-pool.ts';

/** What a generation needs of the task: the SDK's context, or a fake in unit tests. */
export type GenerationContext = Pick<ProviderContext, 'signal' | 'logger'>;

export interface GenerateRequest {
  /** For the logs: which kind of task asks. */
  kind: string;
  /** The conversation: instructions, earlier turns, and last the user's message. */
  turns: HistoryTurn[];
  settings: GenerationSettings;
  /** Called with each piece of the answer as the model writes it (reasoning left out). */
  onText?: (text: string) => void;
}

export interface Generator {
  /** Tokens of one sequence's context: prompt and answer together must fit it. */
  readonly contextSize: number;
  /** Tokens of a plain text, to plan how to split it. */
  countTokens(text: string): number;
  /** Tokens of a conversation as the model's chat template renders it, ready for the answer. */
  promptTokens(turns: HistoryTurn[]): number;
  /** Writes the answer: trimmed, without reasoning blocks, never empty. */
  generate(request: GenerateRequest, ctx: GenerationContext): Promise<string>;
}

/** Fewer free tokens than this after the prompt, and the answer could not say anything. */
const minAnswerTokens = 16;

/**
 * Generations on the shared model: each borrows a sequence of the one context, so tasks run in
 * parallel on the same weights; ctx.signal goes into node-llama-cpp's abort, which stops the
 * token loop at the next token.
 */
export function createGenerator(model: LlamaModel, chatWrapper: ChatWrapper, pool: SequencePool, contextSize: number): Generator {
  const promptTokens = (turns: HistoryTurn[]) => renderPrompt(chatWrapper, turns).tokenize(model.tokenizer).length;

  return {
    contextSize,
    countTokens: (text) => model.tokenize(text).length,
    promptTokens,
    async generate({ kind, turns, settings, onText }, ctx) {
      const prompt = promptTokens(turns);
      const room = contextSize - prompt;
      if (room < minAnswerTokens) {
        throw new ProcessingError(`The prompt has ${prompt} tokens; the context holds ${contextSize}`, {
          userFacingMessage: 'The text is too long for the model. Try a shorter one.',
        });
      }
      // An answer never runs past the context: node-llama-cpp would otherwise shift the
      // conversation out of it, and the model would lose what it was asked.
      const maxTokens = Math.min(settings.maxTokens, room);
      const lent = await pool.acquire(ctx.signal);
      // Everything after the acquire is inside the try: a sequence that is not given back
      // shrinks the pool for good, and a later task would wait for it forever.
      let chat: LlamaChat | undefined;
      try {
        chat = new LlamaChat({ contextSequence: lent.sequence, chatWrapper, autoDisposeSequence: false });
        return await respond(chat, lent.index, { kind, turns, settings: { ...settings, maxTokens }, onText }, prompt, ctx);
      } finally {
        chat?.dispose({ disposeSequence: false });
        pool.release(lent);
      }
    },
  };
}

/** One answer on a borrowed sequence, with what it cost in the logs: first token, tokens/s, a cancel's stop time. */
async function respond(chat: LlamaChat, sequence: number, request: GenerateRequest, promptTokens: number, ctx: GenerationContext): Promise<string> {
  const { kind, turns, settings, onText } = request;
  const startedAt = performance.now();
  let firstTokenAt: number | undefined;
  let abortedAt: number | undefined;
  let tokens = 0;
  const onAbort = () => void (abortedAt = performance.now());
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const filter = onText ? createThinkFilter(onText) : undefined;
  ctx.logger.info({ event: 'generation started', kind, sequence, messages: turns.length, promptTokens, maxTokens: settings.maxTokens }, 'generation started');
  try {
    // The empty model turn at the end is the answer to write.
    const result = await chat.generateResponse([...chatHistory(turns), { type: 'model', response: [] }], {
      signal: ctx.signal,
      maxTokens: settings.maxTokens,
      temperature: settings.temperature,
      onToken: (generated) => {
        firstTokenAt ??= performance.now();
        tokens += generated.length;
      },
      onTextChunk: filter ? (text) => filter.push(text) : undefined,
    });
    filter?.end();
    const stopReason = result.metadata.stopReason;
    ctx.logger.info(
      {
        event: 'generation finished',
        kind,
        sequence,
        tokens,
        stopReason,
        durationMs: round(performance.now() - startedAt),
        firstTokenMs: firstTokenAt === undefined ? null : round(firstTokenAt - startedAt),
        // From the first token on: the prompt's evaluation is in firstTokenMs.
        tokensPerSecond: firstTokenAt === undefined || tokens < 2 ? null : round((tokens - 1) / ((performance.now() - firstTokenAt) / 1000)),
      },
      'generation finished',
    );
    if (stopReason === 'maxTokens') ctx.logger.warn({ kind, maxTokens: settings.maxTokens }, 'answer cut off at the token limit');
    const text = stripThinking(result.response);
    if (!text) throw new ProcessingError(`The model wrote an empty answer (stop reason ${stopReason})`, { userFacingMessage: 'The model returned an empty answer.' });
    return text;
  } catch (error) {
    if (ctx.signal.aborted) {
      const reason = ctx.signal.reason as { kind?: string } | undefined;
      ctx.logger.info(
        {
          event: 'generation aborted',
          kind,
          why: reason?.kind,
          sequence,
          tokens,
          durationMs: round(performance.now() - startedAt),
          // From the abort to the token loop's stop: what a cancel costs in the provider.
          stopMs: abortedAt === undefined ? null : round(performance.now() - abortedAt),
        },
        'generation aborted',
      );
    }
    throw error;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The conversation as the model's chat template writes it, up to where the answer starts. */
export function renderPrompt(chatWrapper: ChatWrapper, turns: HistoryTurn[]): LlamaText {
  return chatWrapper.generateContextState({ chatHistory: [...chatHistory(turns), { type: 'model', response: [] }] }).contextText;
}

/** The turns as node-llama-cpp's chat history, which the chat wrapper renders with the model's template. */
function chatHistory(turns: HistoryTurn[]): ChatHistoryItem[] {
  return turns.map((t): ChatHistoryItem =>
    t.role === 'system' ? { type: 'system', text: t.text } : t.role === 'user' ? { type: 'user', text: t.text } : { type: 'model', response: [t.text] },
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
