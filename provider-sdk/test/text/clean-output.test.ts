import { describe, expect, it } from 'vitest';
import { cleanHeadline, cleanTopics, stripQuotes } from '../../src/text/clean-output.ts';

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
