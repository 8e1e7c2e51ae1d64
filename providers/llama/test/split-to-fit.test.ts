import { describe, expect, it } from 'vitest';
import { inputBudgetTokens, splitToFit } from '../src/index.ts';

/** A stand-in tokenizer: one token per word, and one per punctuation mark. */
const countTokens = (text: string) => (text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).length;

describe('splitting a long text to the context', () => {
  it('keeps a text that fits whole', () => {
    expect(splitToFit('  One short sentence.  ', 10, countTokens)).toEqual(['One short sentence.']);
  });

  it('cuts at paragraphs, then sentences, every part within the budget and nothing lost', () => {
    const paragraph = (n: number) => Array.from({ length: 6 }, (_, i) => `Sentence ${i} of paragraph ${n} says a few words.`).join(' ');
    const text = [paragraph(1), paragraph(2), paragraph(3)].join('\n\n');
    const parts = splitToFit(text, 40, countTokens);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(countTokens(part)).toBeLessThanOrEqual(40);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('splits again when the tokens are denser than the text on average', () => {
    // Words, then punctuation that costs a token per character: the first character split misjudges it.
    const text = `${'word '.repeat(100)}${'!?'.repeat(100)}`;
    for (const part of splitToFit(text, 50, countTokens)) expect(countTokens(part)).toBeLessThanOrEqual(50);
  });

  it('leaves a condensing request the context minus the answer, a rewrite half of it at most its max tokens', () => {
    expect(inputBudgetTokens(4096, 80, 1024, 'condense')).toBe(4096 - 80 - 8 - 1024);
    expect(inputBudgetTokens(4096, 80, 1024, 'rewrite')).toBe(1024);
    expect(inputBudgetTokens(4096, 80, 4096, 'rewrite')).toBe(Math.floor((4096 - 80 - 8) / 2));
  });

  it('keeps half the context for the input when the max tokens would take all of it', () => {
    const usable = 4096 - 80 - 8;
    expect(inputBudgetTokens(4096, 80, 4096, 'condense')).toBe(usable - Math.floor(usable / 2));
  });

  it('never makes a rewrite part longer than the answer may be', () => {
    expect(inputBudgetTokens(4096, 80, 24, 'rewrite')).toBe(24);
  });
});
