import { z } from 'zod';

/** A turn of the conversation before the new message, as the model is shown it. */
export interface HistoryTurn {
  role: 'system' | 'user' | 'assistant';
  text: string;
}

/** The logging this module does; `ctx.logger` satisfies it. */
interface DebugLogger {
  debug(obj: object, msg?: string): void;
}

const HistoryEntry = z.object({ role: z.string(), content: z.unknown() });

/**
 * Turns the `history` slot into turns. Nextcloud's assistant sends each entry as a JSON string
 * `{"role":"user"|"assistant","content":"..."}` (older versions say `human` for the user, as
 * nextcloud/integration_openai maps it); plain strings are accepted too and, since the history
 * starts with a message by the user, alternate user / assistant. Entries that cannot be replayed
 * (tool calls, tool results, unknown roles) are skipped with a log line rather than failing the task.
 */
export function historyTurns(history: string[], logger: DebugLogger): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  history.forEach((entry, index) => {
    const parsed = HistoryEntry.safeParse(parseJson(entry));
    if (!parsed.success) {
      turns.push({ role: index % 2 === 0 ? 'user' : 'assistant', text: entry });
      return;
    }
    const role = parsed.data.role.toLowerCase();
    const content = parsed.data.content;
    if (typeof content !== 'string' || content === '') {
      logger.debug({ index, role }, 'skipping chat history entry without text content');
    } else if (role === 'user' || role === 'human') {
      turns.push({ role: 'user', text: content });
    } else if (role === 'assistant' || role === 'ai') {
      turns.push({ role: 'assistant', text: content });
    } else if (role === 'system') {
      turns.push({ role: 'system', text: content });
    } else {
      logger.debug({ index, role }, 'skipping chat history entry with an unsupported role');
    }
  });
  return turns;
}

function parseJson(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
