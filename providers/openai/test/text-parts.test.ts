import { describe, expect, it } from 'vitest';
import { cleanHeadline, cleanTopics, stripQuotes } from '../src/clean-output.ts';
import { inputBudgetChars, splitText } from '../src/text-parts.ts';

describe('splitText', () => {
  it('keeps a text that fits as one part', () => {
    expect(splitText('  Kurz.  ', 100)).toEqual(['Kurz.']);
    expect(splitText('   ', 100)).toEqual([]);
  });

  it('cuts at paragraphs first and packs neighbours together', () => {
    const text = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)].join('\n\n');
    expect(splitText(text, 90)).toEqual([`${'a'.repeat(40)}\n\n${'b'.repeat(40)}`, 'c'.repeat(40)]);
  });

  it('falls back to sentences, then words, then a hard cut; every part fits and nothing is lost', () => {
    const sentence = 'Ein Satz mit einigen Wörtern. ';
    const text = sentence.repeat(10) + 'x'.repeat(75);
    const parts = splitText(text, 50);
    expect(parts.every((p) => p.length <= 50)).toBe(true);
    expect(parts.join(' ').replace(/x /g, 'x')).toBe(text.trim());
    expect(parts[0]).toBe('Ein Satz mit einigen Wörtern.');
  });

  it('never cuts a surrogate pair in two', () => {
    const parts = splitText('😀'.repeat(10), 3);
    expect(parts.every((p) => p.length <= 3 && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
    expect(parts.join('')).toBe('😀'.repeat(10));
  });
});

describe('inputBudgetChars', () => {
  it('leaves room for the answer: short ones for condensing, as long as the input for rewriting', () => {
    expect(inputBudgetChars({ contextTokens: 8192, maxTokens: undefined }, 'condense')).toBe((8192 - 256 - 1024) * 4);
    expect(inputBudgetChars({ contextTokens: 8192, maxTokens: undefined }, 'rewrite')).toBe(((8192 - 256) / 2) * 4);
    expect(inputBudgetChars({ contextTokens: 8192, maxTokens: 1000 }, 'rewrite')).toBe(1000 * 4);
  });
});

describe('output clean-up', () => {
  it('strips quotes of every kind', () => {
    expect(stripQuotes('„Hallo“')).toBe('Hallo');
    expect(stripQuotes('«Bonjour»')).toBe('Bonjour');
    expect(stripQuotes('**"Titel"**')).toBe('Titel');
    expect(stripQuotes('"unbalanced')).toBe('"unbalanced');
  });

  it('makes a headline one clean line', () => {
    expect(cleanHeadline('\n\nTitle: "A day at sea"\n\nMore text')).toBe('A day at sea');
    expect(cleanHeadline('# Ein Tag am Meer')).toBe('Ein Tag am Meer');
  });

  it('makes topics one comma-separated list without repeats', () => {
    expect(cleanTopics(['- Meer\n- Urlaub\n- Sonne.', 'meer, Strand'])).toBe('Meer, Urlaub, Sonne, Strand');
  });
});
