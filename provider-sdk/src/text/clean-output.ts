/** Quote pairs models wrap answers in, ASCII and typographic. */
const quotePairs: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['„', '“'],
  ['«', '»'],
  ['»', '«'],
  ['‘', '’'],
  ['「', '」'],
  ['*', '*'],
  ['**', '**'],
];

/** Removes one layer of quotes (or markdown emphasis) around the whole text, repeatedly. */
export function stripQuotes(text: string): string {
  let result = text.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of quotePairs) {
      if (result.length > open.length + close.length && result.startsWith(open) && result.endsWith(close)) {
        result = result.slice(open.length, result.length - close.length).trim();
        changed = true;
      }
    }
  }
  return result;
}

/**
 * A headline as promised: one line, no label ("Headline:"), no markdown heading marks, no
 * surrounding quotes.
 */
export function cleanHeadline(answer: string): string {
  const line = answer
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? '';
  return stripQuotes(line.replace(/^#+\s*/, '').replace(/^(headline|title)\s*:\s*/i, ''));
}

/**
 * Topics as promised: one comma-separated list. Accepts the shapes models answer in anyway
 * (bullets, numbered lines, a "Topics:" label) and merges several answers (one per part of a
 * long text) without repeating a topic.
 */
export function cleanTopics(answers: string[]): string {
  const seen = new Set<string>();
  const topics: string[] = [];
  for (const answer of answers) {
    const body = answer.replace(/^\s*(topics|keywords)\s*:\s*/i, '');
    for (const raw of body.split(/[,\n;]/)) {
      const topic = stripQuotes(raw.replace(/^\s*([-*•]|\d+[.)])\s*/, '').replace(/\.$/, ''));
      const key = topic.toLocaleLowerCase();
      if (topic && !seen.has(key)) {
        seen.add(key);
        topics.push(topic);
      }
    }
  }
  return topics.join(', ');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Pictographs, flags (regional indicator pairs) and keycaps ("1️⃣"). */
const emojiPattern = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

/**
 * The first emoji of an answer, whole (skin tone, ZWJ family, flag), or undefined when there is
 * none. Models asked for "only the emoji" still add a word or a full stop now and then.
 */
export function firstEmoji(answer: string): string | undefined {
  for (const { segment } of graphemes.segment(answer)) {
    if (emojiPattern.test(segment)) return segment;
  }
  return undefined;
}
