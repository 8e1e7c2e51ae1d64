import { describe, expect, it } from 'vitest';
import { inputBudgetChars } from '../src/text-parts.ts';

describe('inputBudgetChars', () => {
  it('leaves room for the answer: short ones for condensing, as long as the input for rewriting', () => {
    expect(inputBudgetChars({ contextTokens: 8192, maxTokens: undefined }, 'condense')).toBe((8192 - 256 - 1024) * 4);
    expect(inputBudgetChars({ contextTokens: 8192, maxTokens: undefined }, 'rewrite')).toBe(((8192 - 256) / 2) * 4);
    expect(inputBudgetChars({ contextTokens: 8192, maxTokens: 1000 }, 'rewrite')).toBe(1000 * 4);
  });
});
