import { createMockContext } from '@taskproc/provider-sdk';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest, Generator } from '../src/index.ts';
import { loadConfig } from '../src/index.ts';
import { summarize } from '../src/tasks/summarize.ts';

/** A stand-in tokenizer: one token per word. */
const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * A generator on a small context that records each request and "summarises" by keeping the
 * first words of the text, so the recursion of summarize() is seen against a real budget.
 */
function fakeGenerator(contextSize: number, keepWords: number) {
  const requests: Array<{ request: GenerateRequest; promptTokens: number }> = [];
  const promptTokens = (turns: GenerateRequest['turns']) => turns.reduce((n, t) => n + countTokens(t.text) + 4, 2);
  const generator: Generator = {
    contextSize,
    countTokens,
    promptTokens,
    async generate(request) {
      requests.push({ request, promptTokens: promptTokens(request.turns) });
      return request.turns.at(-1)!.text.split(/\s+/).slice(0, keepWords).join(' ');
    },
  };
  return { generator, requests };
}

const config = loadConfig({ TASKPROC_URL: 'http://127.0.0.1:1', TASKPROC_TOKEN: 't', LLAMA_MODEL_PATH: '/m.gguf', LLAMA_MAX_TOKENS_SUMMARY: '40' });

describe('summarize on a small context', () => {
  it('splits, summarises each part and combines, every request within the context', async () => {
    const contextSize = 256;
    const { generator, requests } = fakeGenerator(contextSize, 10);
    const text = Array.from({ length: 12 }, (_, p) => `Paragraph ${p} ${'word '.repeat(70)}ends here.`).join('\n\n');
    expect(countTokens(text)).toBeGreaterThan(3 * contextSize);
    const ctx = createMockContext();

    const summary = await summarize(text, ctx, { generator, config }, undefined);

    // Parts, then the combining request (or another round of parts): at least three requests.
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const { promptTokens, request } of requests) expect(promptTokens + request.settings.maxTokens).toBeLessThanOrEqual(contextSize);
    // Every paragraph reached the model: nothing was cut off to make the text fit.
    const seen = requests.map((r) => r.request.turns.at(-1)!.text).join(' ');
    for (let p = 0; p < 12; p++) expect(seen).toContain(`Paragraph ${p} `);
    expect(countTokens(summary)).toBeLessThanOrEqual(10);
    expect(ctx.progress.at(-1)).toBe(1);
  });

  it('refuses, rather than recursing forever, when the summaries do not shrink', async () => {
    const { generator } = fakeGenerator(256, 1_000);
    const text = Array.from({ length: 6 }, () => 'word '.repeat(120)).join('\n\n');
    await expect(summarize(text, createMockContext(), { generator, config }, undefined)).rejects.toMatchObject({
      userFacingMessage: 'The text is too long for the model to summarize.',
    });
  });
});
