/**
 * The streaming twin of stripThinking (below): passes text on as it arrives, minus
 * `<think>...</think>` blocks (reasoning some local models write before the answer) and the
 * whitespace before the answer starts. A tag split across chunks is held back until it is whole.
 */
export function createThinkFilter(emit: (text: string) => void): { push(chunk: string): void; end(): void } {
  const open = '<think>';
  const close = '</think>';
  let buffer = '';
  let thinking = false;
  let started = false;

  const out = (text: string) => {
    const piece = started ? text : text.trimStart();
    if (!piece) return;
    started = true;
    emit(piece);
  };
  /** How much of the end of `text` could be the start of `tag`. */
  const partialTail = (text: string, tag: string) => {
    for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
      if (tag.startsWith(text.slice(-n).toLowerCase())) return n;
    }
    return 0;
  };

  const drain = () => {
    for (;;) {
      const lower = buffer.toLowerCase();
      if (thinking) {
        const at = lower.indexOf(close);
        if (at < 0) {
          buffer = buffer.slice(buffer.length - partialTail(buffer, close));
          return;
        }
        buffer = buffer.slice(at + close.length);
        thinking = false;
        continue;
      }
      const at = lower.indexOf(open);
      if (at >= 0) {
        out(buffer.slice(0, at));
        buffer = buffer.slice(at + open.length);
        thinking = true;
        continue;
      }
      const keep = partialTail(buffer, open);
      out(buffer.slice(0, buffer.length - keep));
      buffer = buffer.slice(buffer.length - keep);
      return;
    }
  };

  return {
    push(chunk) {
      buffer += chunk;
      drain();
    },
    end() {
      if (!thinking) out(buffer);
      buffer = '';
    },
  };
}

/** Drops the `<think>...</think>` reasoning some local models (DeepSeek-R1, Qwen3) put before the answer. */
export function stripThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
}
