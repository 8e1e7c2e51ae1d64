import { describe, expect, it } from 'vitest';
import { checkMemory, StartError } from '../src/index.ts';

const gib = 2 ** 30;
const needs = { modelBytes: 5 * gib, contextBytes: 1 * gib, contextSize: 8192, sequences: 2 };

describe('the memory check at start', () => {
  it('passes a model that fits what is free', () => {
    expect(checkMemory(needs, { totalBytes: 16 * gib, freeBytes: 10 * gib })).toBeUndefined();
  });

  it('warns when it fits the machine but not what is free now', () => {
    expect(checkMemory(needs, { totalBytes: 16 * gib, freeBytes: 4 * gib })).toMatch(/needs about 6\.0 GiB .* 4\.0 GiB is free now/);
  });

  it('refuses one larger than the machine, with the sizes and what to change', () => {
    expect(() => checkMemory(needs, { totalBytes: 4 * gib, freeBytes: 3 * gib })).toThrow(StartError);
    expect(() => checkMemory(needs, { totalBytes: 4 * gib, freeBytes: 3 * gib })).toThrow(
      /too large for this machine's memory: it needs about 6\.0 GiB of RAM \(the model 5\.0 GiB \+ the context 1\.0 GiB \(2 × 8192 tokens\)\), the machine has 4\.0 GiB/,
    );
  });
});
