import type { TaskKind } from '../task-kinds.ts';
import type { LlamaDeps, TaskContext } from './deps.ts';

/** Where an answer streams to: given only when the app asked for streaming. */
export type OnText = ((text: string) => void) | undefined;

/**
 * One instruction and one text, answered with the kind's generation settings. Each request is
 * a fresh conversation: parts of a long text never see each other's answers.
 */
export function ask(kind: TaskKind, instruction: string, text: string, ctx: TaskContext, deps: LlamaDeps, onText?: OnText): Promise<string> {
  return deps.generator.generate(
    {
      kind,
      turns: [
        { role: 'system', text: instruction },
        { role: 'user', text },
      ],
      settings: deps.config.generation[kind],
      onText,
    },
    ctx,
  );
}

/** The task's own stream, when the app asked for streaming (ctx.streaming), else nothing. */
export function streamTo(ctx: Pick<TaskContext, 'streaming' | 'stream'>): OnText {
  return ctx.streaming ? (text) => ctx.stream(text) : undefined;
}

/**
 * Streaming for an answer written in parts (a long text rewritten part by part) and joined with
 * `separator`: part i streams as it is written, after the separator when it is not the first.
 */
export function streamParts(ctx: Pick<TaskContext, 'streaming' | 'stream'>, separator: string): () => OnText {
  const onText = streamTo(ctx);
  if (!onText) return () => undefined;
  let parts = 0;
  return () => {
    let first = true;
    const index = parts++;
    return (text) => {
      if (first && index > 0) onText(separator);
      first = false;
      onText(text);
    };
  };
}
