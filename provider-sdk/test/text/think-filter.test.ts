import { describe, expect, it } from 'vitest';
import { createThinkFilter, stripThinking } from '../../src/text/think-filter.ts';

/** Feeds `chunks` through the filter and returns what it passed on. */
function filtered(chunks: string[]): string {
  let out = '';
  const filter = createThinkFilter((text) => (out += text));
  for (const chunk of chunks) filter.push(chunk);
  filter.end();
  return out;
}

describe('createThinkFilter', () => {
  it('passes text on as it comes', () => {
    expect(filtered(['Hello', ' wor', 'ld'])).toBe('Hello world');
  });

  it('drops a reasoning block and the whitespace before the answer, also with tags split across chunks', () => {
    expect(filtered(['<thi', 'nk>plan', 'ning</th', 'ink>\n\n', 'Ans', 'wer'])).toBe('Answer');
    expect(filtered(['<THINK>x</THINK> Hi'])).toBe('Hi');
  });

  it('keeps a "<" that does not start a tag', () => {
    expect(filtered(['a <', 'b', ' c <th'])).toBe('a <b c <th');
  });

  it('agrees with stripThinking on whole answers', () => {
    for (const text of ['<think>a</think>b', '  x  ', 'one <think>two</think> three', 'no tags']) {
      const chunks = text.split('');
      expect(filtered(chunks).trimEnd()).toBe(stripThinking(text));
    }
  });
});
