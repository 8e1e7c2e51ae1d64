import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/text/split-text.ts';

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
