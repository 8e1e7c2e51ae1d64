import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeTonePrompt, improvePrompt, prompts } from '@taskproc/provider-sdk/text';
import { runChangeTone } from '../src/tasks/change-tone.ts';
import { runChatWithTools } from '../src/tasks/chat-with-tools.ts';
import { runContextWrite } from '../src/tasks/context-write.ts';
import { runFreePrompt } from '../src/tasks/free-prompt.ts';
import { runGenerateEmoji } from '../src/tasks/generate-emoji.ts';
import { runHeadline } from '../src/tasks/headline.ts';
import { runImprove } from '../src/tasks/improve.ts';
import { runFormalization, runProofread } from '../src/tasks/rewrite.ts';
import { runSummary } from '../src/tasks/summarize.ts';
import { runTopics } from '../src/tasks/topics.ts';
import { runTranslate } from '../src/tasks/translate.ts';
import { apiError, createFakeContext, createTestDeps, handleChat, strictRequests } from './support.ts';

const server = setupServer();
beforeAll(() => server.listen(strictRequests));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// OPENAI_CONTEXT_TOKENS=512 leaves 512 characters of text per request (chars/4 estimate):
// (512 - 256 prompt overhead - 128 answer) tokens for summaries, (512 - 256) / 2 for rewrites.
const smallContext = { OPENAI_CONTEXT_TOKENS: '512' };

/** A paragraph of about `chars` characters made of short numbered sentences. */
function paragraph(label: string, chars: number): string {
  const sentences: string[] = [];
  for (let i = 1; sentences.join(' ').length < chars; i++) sentences.push(`${label} Satz ${i} erklärt etwas.`);
  return sentences.join(' ');
}

const [p1, p2, p3] = [paragraph('Eins', 400), paragraph('Zwei', 400), paragraph('Drei', 400)];
const longText = [p1, p2, p3].join('\n\n');
const userContents = (bodies: any[]) => bodies.map((b) => b.messages.at(-1).content as string);
const systemContents = (bodies: any[]) => bodies.map((b) => b.messages[0].content as string);

describe('long texts are split by the token budget, never truncated', () => {
  it('summary: each part summarised with progress, then the summaries combined', async () => {
    const bodies = handleChat(server, (body) => {
      const content: string = body.messages[1]!.content;
      return body.messages[0]!.content === prompts.combineSummaries ? 'Gesamtzusammenfassung.' : `Kurz ${content.split(' ')[0]}.`;
    });
    const { deps } = createTestDeps(smallContext);
    const { ctx, progress } = createFakeContext();
    expect(await runSummary({ input: longText }, ctx, deps)).toEqual({ output: 'Gesamtzusammenfassung.' });
    expect(userContents(bodies)).toEqual([p1, p2, p3, 'Kurz Eins.\n\nKurz Zwei.\n\nKurz Drei.']);
    expect(systemContents(bodies)).toEqual([prompts.summary, prompts.summary, prompts.summary, prompts.combineSummaries]);
    expect(progress.map((p) => Number(p.toFixed(3)))).toEqual([0.3, 0.6, 0.9, 1]);
  });

  it('summary: a context_length_exceeded answer splits the part further and retries it', async () => {
    // The server's real limit is below the estimate: anything over 300 characters overflows.
    const bodies = handleChat(server, (body) => {
      const content: string = body.messages[1]!.content;
      if (content.length > 300) {
        return apiError(400, {
          message: "This model's maximum context length is 128 tokens.",
          code: 'context_length_exceeded',
        });
      }
      return body.messages[0]!.content === prompts.combineSummaries ? 'Alles.' : `Teil ${bodies.length}.`;
    });
    const { deps } = createTestDeps(smallContext);
    const { ctx, logs } = createFakeContext();
    expect(await runSummary({ input: p1 }, ctx, deps)).toEqual({ output: 'Alles.' });
    const sent = userContents(bodies);
    expect(sent[0]).toBe(p1);
    const halves = sent.slice(1, -1);
    expect(halves.length).toBeGreaterThanOrEqual(2);
    expect(halves.every((h) => h.length <= 300)).toBe(true);
    // Every word of the text reached the model in some part: nothing was cut off.
    expect(halves.join(' ')).toBe(p1);
    expect(logs.some((l) => l.msg?.includes('splitting further'))).toBe(true);
  });

  it('a part that cannot fit even when split fails with "too long", not a truncated answer', async () => {
    const bodies = handleChat(server, () =>
      apiError(400, { message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' }),
    );
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    await expect(runSummary({ input: p1 }, ctx, deps)).rejects.toMatchObject({
      name: 'ContextLengthError',
      userFacingMessage: 'The text is too long for the AI model',
    });
    expect(bodies.length).toBeGreaterThan(1);
  });

  it('rewrite kinds transform each part and join them as paragraphs, reporting progress', async () => {
    const bodies = handleChat(server, (body) => `Förmlich: ${(body.messages[1]!.content as string).slice(0, 9)}`);
    const { deps } = createTestDeps(smallContext);
    const { ctx, progress } = createFakeContext();
    const { output } = await runFormalization({ input: longText }, ctx, deps);
    expect(output).toBe('Förmlich: Eins Satz\n\nFörmlich: Zwei Satz\n\nFörmlich: Drei Satz');
    expect(userContents(bodies)).toEqual([p1, p2, p3]);
    expect(progress.map((p) => Number(p.toFixed(3)))).toEqual([0.333, 0.667, 1]);
  });

  it('translate splits the same way and keeps the order of the parts', async () => {
    const bodies = handleChat(server, (body) => `EN ${(body.messages[1]!.content as string).split(' ')[0]}`);
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    const { output } = await runTranslate({ input: longText, origin_language: 'de', target_language: 'en' }, ctx, deps);
    expect(output).toBe('EN Eins\n\nEN Zwei\n\nEN Drei');
    expect(bodies).toHaveLength(3);
  });

  it('topics of the parts are merged into one list without repeats', async () => {
    handleChat(server, (body) => `${(body.messages[1]!.content as string).split(' ')[0]}, Sätze, Erklärung`);
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    expect(await runTopics({ input: longText }, ctx, deps)).toEqual({ output: 'Eins, Sätze, Erklärung, Zwei, Drei' });
  });

  it('headline of a long text is written for its summary', async () => {
    const bodies = handleChat(server, (body) => {
      const system = body.messages[0]!.content;
      if (system === prompts.headline) return '"Drei Teile"';
      return system === prompts.combineSummaries ? 'Zusammenfassung aller Teile.' : 'Teil.';
    });
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    expect(await runHeadline({ input: longText }, ctx, deps)).toEqual({ output: 'Drei Teile' });
    expect(systemContents(bodies)).toEqual([
      prompts.summary,
      prompts.summary,
      prompts.summary,
      prompts.combineSummaries,
      prompts.headline,
    ]);
    expect(userContents(bodies).at(-1)).toBe('Zusammenfassung aller Teile.');
  });

  it('change tone, improve and proofread split like the rewrites, with their instruction on every part', async () => {
    const bodies = handleChat(server, (body) => `OK ${(body.messages[1]!.content as string).split(' ')[0]}`);
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    expect(await runChangeTone({ input: longText, tone: 'funnier' }, ctx, deps)).toEqual({ output: 'OK Eins\n\nOK Zwei\n\nOK Drei' });
    expect(await runImprove({ input: longText, instructions: 'Kürzer' }, ctx, deps)).toEqual({ output: 'OK Eins\n\nOK Zwei\n\nOK Drei' });
    expect(await runProofread({ input: longText }, ctx, deps)).toEqual({ output: 'OK Eins\n\nOK Zwei\n\nOK Drei' });
    expect(systemContents(bodies)).toEqual([
      ...Array<string>(3).fill(changeTonePrompt('funnier')),
      ...Array<string>(3).fill(improvePrompt('Kürzer')),
      ...Array<string>(3).fill(prompts.proofread),
    ]);
    expect(userContents(bodies)).toEqual([p1, p2, p3, p1, p2, p3, p1, p2, p3]);
  });

  it('the emoji of a long text is picked for its summary', async () => {
    const bodies = handleChat(server, (body) => {
      const system = body.messages[0]!.content;
      if (system === prompts.generateemoji) return '📚';
      return system === prompts.combineSummaries ? 'Zusammenfassung.' : 'Teil.';
    });
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    expect(await runGenerateEmoji({ input: longText }, ctx, deps)).toEqual({ output: '📚' });
    expect(userContents(bodies).at(-1)).toBe('Zusammenfassung.');
  });

  it('a free prompt is never split: an overflow fails with "too long" after one request', async () => {
    const bodies = handleChat(server, () => apiError(400, { message: 'too long', code: 'context_length_exceeded' }));
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    await expect(runFreePrompt({ input: longText }, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'The text is too long for the AI model',
    });
    expect(bodies).toHaveLength(1);
  });

  it('context write and chat with tools are never split either', async () => {
    const bodies = handleChat(server, () => apiError(400, { message: 'too long', code: 'context_length_exceeded' }));
    const { deps } = createTestDeps(smallContext);
    const { ctx } = createFakeContext();
    await expect(runContextWrite({ style_input: p1, source_input: longText }, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'The text is too long for the AI model',
    });
    await expect(
      runChatWithTools({ system_prompt: '', input: longText, tool_message: '', history: [], tools: '[]' }, ctx, deps),
    ).rejects.toMatchObject({ userFacingMessage: 'The text is too long for the AI model' });
    expect(bodies).toHaveLength(2);
  });
});
