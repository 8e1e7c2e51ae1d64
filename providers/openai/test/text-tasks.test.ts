import { setupServer } from 'msw/node';
import { createMockContext } from '@taskproc/provider-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProviders } from '../src/index.ts';
import { changeTonePrompt, improvePrompt, prompts, sameLanguage } from '@taskproc/provider-sdk/text';
import { runChangeTone } from '../src/tasks/change-tone.ts';
import { runChat } from '../src/tasks/chat.ts';
import { runContextWrite } from '../src/tasks/context-write.ts';
import { runFreePrompt } from '../src/tasks/free-prompt.ts';
import { runGenerateEmoji } from '../src/tasks/generate-emoji.ts';
import { runHeadline } from '../src/tasks/headline.ts';
import { runImprove } from '../src/tasks/improve.ts';
import { runFormalization, runProofread, runReformulation, runSimplification } from '../src/tasks/rewrite.ts';
import { runSummary } from '../src/tasks/summarize.ts';
import { runTopics } from '../src/tasks/topics.ts';
import { runTranslate } from '../src/tasks/translate.ts';
import { createFakeContext, createTestDeps, handleChat, strictRequests } from './support.ts';

const server = setupServer();
beforeAll(() => server.listen(strictRequests));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const text = 'Der Bericht beschreibt die Ergebnisse des dritten Quartals.';

describe('single-request text tasks send the exact request and map the answer to output', () => {
  it('core:text2text sends the prompt as it is with a language default', async () => {
    const bodies = handleChat(server, () => '  Die Antwort.\n');
    const { deps } = createTestDeps({ OPENAI_MODEL: 'model-default', OPENAI_MODEL_TEXT2TEXT: 'model-free' });
    const { ctx } = createFakeContext();
    expect(await runFreePrompt({ input: 'Was ist 2+2?' }, ctx, deps)).toEqual({ output: 'Die Antwort.' });
    expect(bodies).toEqual([
      {
        model: 'model-free',
        messages: [
          { role: 'system', content: prompts.text2text },
          { role: 'user', content: 'Was ist 2+2?' },
        ],
      },
    ]);
  });

  it('core:text2text:chat replays JSON history entries (human -> user) after the system prompt', async () => {
    const bodies = handleChat(server, () => 'Gern geschehen!');
    const { deps } = createTestDeps({ OPENAI_MODEL: 'model-default' });
    const { ctx } = createFakeContext();
    const history = [
      JSON.stringify({ role: 'human', content: 'Hallo' }),
      JSON.stringify({ role: 'assistant', content: 'Hallo! Wie kann ich helfen?' }),
      JSON.stringify({ role: 'assistant', content: null, tool_calls: [{ id: 'x', name: 'f', args: {} }] }),
      JSON.stringify({ role: 'user', content: 'Danke' }),
    ];
    const out = await runChat({ system_prompt: 'You are Nextcloud Assistant.', history, input: 'Tschüss' }, ctx, deps);
    expect(out).toEqual({ output: 'Gern geschehen!' });
    expect(bodies[0]).toEqual({
      model: 'model-default',
      messages: [
        { role: 'system', content: `You are Nextcloud Assistant.\n\n${prompts.chat}` },
        { role: 'user', content: 'Hallo' },
        { role: 'assistant', content: 'Hallo! Wie kann ich helfen?' },
        { role: 'user', content: 'Danke' },
        { role: 'user', content: 'Tschüss' },
      ],
    });
  });

  it('core:text2text:chat accepts plain-string history, alternating user and assistant', async () => {
    const bodies = handleChat(server, () => 'ok');
    const { deps } = createTestDeps({ OPENAI_MODEL_CHAT: 'chat-model' });
    const { ctx } = createFakeContext();
    await runChat({ system_prompt: '', history: ['Hi', 'Hello!', '{not json'], input: 'Bye' }, ctx, deps);
    expect(bodies[0]).toEqual({
      model: 'chat-model',
      messages: [
        { role: 'system', content: prompts.chat },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: '{not json' },
        { role: 'user', content: 'Bye' },
      ],
    });
  });

  const rewrites = [
    ['formalization', runFormalization, prompts.formalization],
    ['reformulation', runReformulation, prompts.reformulation],
    ['simplification', runSimplification, prompts.simplification],
  ] as const;
  for (const [kind, run, instruction] of rewrites) {
    it(`core:text2text:${kind} sends its instruction with the language rule and the text`, async () => {
      const bodies = handleChat(server, () => '\nUmgeschriebener Text.  ');
      const { deps } = createTestDeps({ [`OPENAI_MODEL_${kind.toUpperCase()}`]: `${kind}-model` });
      const { ctx } = createFakeContext();
      expect(await run({ input: text }, ctx, deps)).toEqual({ output: 'Umgeschriebener Text.' });
      expect(instruction).toContain(sameLanguage);
      expect(bodies).toEqual([
        {
          model: `${kind}-model`,
          messages: [
            { role: 'system', content: instruction },
            { role: 'user', content: text },
          ],
        },
      ]);
    });
  }

  it('core:text2text:summary asks for the summary only, in the text language', async () => {
    const bodies = handleChat(server, () => 'Ergebnisse Q3.');
    const { deps } = createTestDeps({ OPENAI_MODEL_SUMMARY: 'summary-model', OPENAI_MAX_TOKENS: '300' });
    const { ctx, progress } = createFakeContext();
    expect(await runSummary({ input: text }, ctx, deps)).toEqual({ output: 'Ergebnisse Q3.' });
    expect(prompts.summary).toContain(sameLanguage);
    expect(bodies).toEqual([
      {
        model: 'summary-model',
        messages: [
          { role: 'system', content: prompts.summary },
          { role: 'user', content: text },
        ],
        // api.openai.com gets the current parameter name; see the local-server test below.
        max_completion_tokens: 300,
      },
    ]);
    expect(progress).toEqual([]);
  });

  it('sends max_tokens (the name local servers know) to an OpenAI-compatible base URL', async () => {
    const bodies = handleChat(server, () => 'ok', 'http://127.0.0.1:11434/v1');
    const { deps } = createTestDeps({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MAX_TOKENS: '50' });
    const { ctx } = createFakeContext();
    await runSummary({ input: text }, ctx, deps);
    expect(bodies[0]!.max_tokens).toBe(50);
    expect(bodies[0]!.max_completion_tokens).toBeUndefined();
  });

  it('core:text2text:headline answers one line without quotes, labels or markdown', async () => {
    const bodies = handleChat(server, () => '## Headline: "Starkes drittes Quartal"\nA second line the model added.');
    const { deps } = createTestDeps({ OPENAI_MODEL_HEADLINE: 'headline-model' });
    const { ctx } = createFakeContext();
    expect(await runHeadline({ input: text }, ctx, deps)).toEqual({ output: 'Starkes drittes Quartal' });
    expect(bodies).toEqual([
      {
        model: 'headline-model',
        messages: [
          { role: 'system', content: prompts.headline },
          { role: 'user', content: text },
        ],
      },
    ]);
  });

  it('core:text2text:topics answers one comma-separated list, whatever shape the model used', async () => {
    const bodies = handleChat(server, () => 'Topics:\n1. Quartal\n2. "Ergebnisse"\n- Bericht, quartal');
    const { deps } = createTestDeps({ OPENAI_MODEL_TOPICS: 'topics-model' });
    const { ctx } = createFakeContext();
    expect(await runTopics({ input: text }, ctx, deps)).toEqual({ output: 'Quartal, Ergebnisse, Bericht' });
    expect(bodies).toEqual([
      {
        model: 'topics-model',
        messages: [
          { role: 'system', content: prompts.topics },
          { role: 'user', content: text },
        ],
      },
    ]);
  });

  it('core:text2text:translate names both languages, or only the target when detecting', async () => {
    const bodies = handleChat(server, () => 'The report describes the results of the third quarter.');
    const { deps } = createTestDeps({ OPENAI_MODEL_TRANSLATE: 'translate-model' });
    const { ctx } = createFakeContext();
    const named = await runTranslate({ input: text, origin_language: 'de', target_language: 'en' }, ctx, deps);
    const detected = await runTranslate({ input: text, origin_language: 'detect_language', target_language: 'fr' }, ctx, deps);
    expect(named).toEqual({ output: 'The report describes the results of the third quarter.' });
    expect(detected.output).toBe('The report describes the results of the third quarter.');
    expect(bodies).toEqual([
      {
        model: 'translate-model',
        messages: [
          { role: 'system', content: 'Translate the text the user sends from German to English. Answer with the translation only, without notes or explanations.' },
          { role: 'user', content: text },
        ],
      },
      {
        model: 'translate-model',
        messages: [
          { role: 'system', content: 'Translate the text the user sends to French. Answer with the translation only, without notes or explanations.' },
          { role: 'user', content: text },
        ],
      },
    ]);
  });

  it('drops the <think> block of reasoning models and fails on an empty answer', async () => {
    handleChat(server, (_body, i) => (i === 0 ? '<think>\nhmm\n</think>\n\nKurz.' : '<think>only thinking</think>'));
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    expect(await runSummary({ input: text }, ctx, deps)).toEqual({ output: 'Kurz.' });
    await expect(runSummary({ input: text }, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      userFacingMessage: 'The AI service returned an empty answer',
    });
  });

  it('core:text2text:changetone rewrites in the chosen tone, keeping the language', async () => {
    const bodies = handleChat(server, () => 'Könnten Sie mir bitte den Bericht schicken?');
    const { deps } = createTestDeps({ OPENAI_MODEL_CHANGETONE: 'tone-model' });
    const { ctx } = createFakeContext();
    const out = await runChangeTone({ input: 'Schick mir den Bericht.', tone: 'more formal' }, ctx, deps);
    expect(out).toEqual({ output: 'Könnten Sie mir bitte den Bericht schicken?' });
    expect(bodies).toEqual([
      {
        model: 'tone-model',
        messages: [
          {
            role: 'system',
            content: `Rewrite the text the user sends in a more formal tone, keeping its meaning. Answer with the rewritten text only. ${sameLanguage}`,
          },
          { role: 'user', content: 'Schick mir den Bericht.' },
        ],
      },
    ]);
    expect(changeTonePrompt('funnier')).toContain('in a funnier tone');
  });

  it('core:text2text:proofread asks for the corrections only, in the text language', async () => {
    const bodies = handleChat(server, () => '"Berich" → "Bericht"');
    const { deps } = createTestDeps({ OPENAI_MODEL_PROOFREAD: 'proof-model' });
    const { ctx } = createFakeContext();
    expect(await runProofread({ input: 'Der Berich ist fertig.' }, ctx, deps)).toEqual({ output: '"Berich" → "Bericht"' });
    expect(prompts.proofread).toContain(sameLanguage);
    expect(bodies).toEqual([
      {
        model: 'proof-model',
        messages: [
          { role: 'system', content: prompts.proofread },
          { role: 'user', content: 'Der Berich ist fertig.' },
        ],
      },
    ]);
  });

  it('core:text2text:improve follows the instructions, and asks for a general improvement without any', async () => {
    const bodies = handleChat(server, () => 'Der Bericht ist fertig.');
    const { deps } = createTestDeps({ OPENAI_MODEL_IMPROVE: 'improve-model' });
    const { ctx } = createFakeContext();
    expect(await runImprove({ input: 'bericht fertig', instructions: 'Make it a full sentence' }, ctx, deps)).toEqual({
      output: 'Der Bericht ist fertig.',
    });
    await runImprove({ input: 'bericht fertig', instructions: '  ' }, ctx, deps);
    expect(bodies.map((b) => b.messages)).toEqual([
      [
        { role: 'system', content: improvePrompt('Make it a full sentence') },
        { role: 'user', content: 'bericht fertig' },
      ],
      [
        { role: 'system', content: improvePrompt('') },
        { role: 'user', content: 'bericht fertig' },
      ],
    ]);
    expect(bodies[0]!.messages[0]!.content).toMatch(/Instructions:\nMake it a full sentence$/);
    expect(bodies[1]!.messages[0]!.content).toMatch(/Instructions:\nImprove its clarity, flow, spelling and grammar\.$/);
    expect(bodies[0]!.model).toBe('improve-model');
  });

  it('core:contextwrite sends the style example and the source material in one labelled message', async () => {
    const bodies = handleChat(server, () => 'Sehr geehrte Damen und Herren, das Treffen findet am Montag statt.');
    const { deps } = createTestDeps({ OPENAI_MODEL_CONTEXTWRITE: 'write-model' });
    const { ctx } = createFakeContext();
    const out = await runContextWrite({ style_input: 'Sehr geehrte Damen und Herren,', source_input: 'Treffen Montag' }, ctx, deps);
    expect(out).toEqual({ output: 'Sehr geehrte Damen und Herren, das Treffen findet am Montag statt.' });
    expect(bodies).toEqual([
      {
        model: 'write-model',
        messages: [
          { role: 'system', content: prompts.contextwrite },
          {
            role: 'user',
            content: 'Writing style example:\n\nSehr geehrte Damen und Herren,\n\nSource material:\n\nTreffen Montag',
          },
        ],
      },
    ]);
  });

  it('core:generateemoji answers the first emoji whole, whatever the model wrote around it', async () => {
    const answers = ['☀️', 'Sure! 👨‍👩‍👧 family.', '🇩🇪', 'Sunny day.'];
    const bodies = handleChat(server, (_body, i) => answers[i]!);
    const { deps } = createTestDeps({ OPENAI_MODEL_GENERATEEMOJI: 'emoji-model' });
    const { ctx } = createFakeContext();
    expect(await runGenerateEmoji({ input: 'Ein sonniger Tag' }, ctx, deps)).toEqual({ output: '☀️' });
    expect(await runGenerateEmoji({ input: 'Familienausflug' }, ctx, deps)).toEqual({ output: '👨‍👩‍👧' });
    expect(await runGenerateEmoji({ input: 'Deutschland' }, ctx, deps)).toEqual({ output: '🇩🇪' });
    await expect(runGenerateEmoji({ input: 'Sonne' }, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      userFacingMessage: 'The AI service did not answer with an emoji',
    });
    expect(bodies[0]).toEqual({
      model: 'emoji-model',
      messages: [
        { role: 'system', content: prompts.generateemoji },
        { role: 'user', content: 'Ein sonniger Tag' },
      ],
    });
  });

  it('refuses an empty text without calling the API', async () => {
    const bodies = handleChat(server, () => 'x');
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await expect(runSummary({ input: '  \n ' }, ctx, deps)).rejects.toMatchObject({ userFacingMessage: 'The input text is empty' });
    expect(bodies).toEqual([]);
  });
});

describe('wiring into the SDK', () => {
  it("each provider's process runs its handler with the configured client (SDK mock context)", async () => {
    const bodies = handleChat(server, () => 'Eine Schlagzeile');
    const { deps } = createTestDeps({ OPENAI_MODEL_HEADLINE: 'headline-model' });
    const headline = createOpenAiProviders(deps).find((p) => p.id === 'openai:headline')!;
    expect(await headline.process({ input: text }, createMockContext())).toEqual({ output: 'Eine Schlagzeile' });
    expect(bodies[0]!.model).toBe('headline-model');
  });
});
