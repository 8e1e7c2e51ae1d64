import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runChatWithTools } from '../src/tasks/chat-with-tools.ts';
import { createFakeContext, createTestDeps, handleChat, strictRequests, toolCallAnswer } from './support.ts';

const server = setupServer();
beforeAll(() => server.listen(strictRequests));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// The shapes below are those Nextcloud's Context Agent sends through integration_openai.
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather at a place',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const tools = JSON.stringify([weatherTool]);
const firstTurn = { system_prompt: 'You are an agent.', input: 'Wie ist das Wetter in Berlin?', tool_message: '', history: [], tools };

describe('core:text2text:chatwithtools', () => {
  it('sends the tools as they are and answers the tool calls in Nextcloud\'s shape', async () => {
    const bodies = handleChat(server, () =>
      HttpResponse.json(
        toolCallAnswer(null, [
          { id: 'call_1', name: 'get_weather', arguments: '{"city":"Berlin"}' },
          { id: 'call_2', name: 'get_weather', arguments: 'not json' },
        ]),
      ),
    );
    const { deps } = createTestDeps({ OPENAI_MODEL_CHATWITHTOOLS: 'tools-model', OPENAI_MAX_TOKENS: '200' });
    const { ctx, logs } = createFakeContext();
    const out = await runChatWithTools(firstTurn, ctx, deps);
    expect(out).toEqual({
      output: '',
      tool_calls: JSON.stringify([
        { name: 'get_weather', id: 'call_1', args: { city: 'Berlin' } },
        // Arguments that are no JSON object reach the app as {}, as integration_openai passes them.
        { name: 'get_weather', id: 'call_2', args: {} },
      ]),
    });
    expect(bodies).toEqual([
      {
        model: 'tools-model',
        messages: [
          { role: 'system', content: 'You are an agent.' },
          { role: 'user', content: 'Wie ist das Wetter in Berlin?' },
        ],
        tools: [weatherTool],
        max_completion_tokens: 200,
      },
    ]);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', fields: { tool: 'get_weather' } }));
  });

  it('replays the history with its tool calls and results, then the new tool results, and answers text', async () => {
    const bodies = handleChat(server, () => 'In Berlin sind es 21 Grad.');
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    const history = [
      JSON.stringify({ role: 'human', content: 'Hallo' }),
      JSON.stringify({ role: 'assistant', content: 'Hallo! Wie kann ich helfen?' }),
      JSON.stringify({ role: 'user', content: 'Wie ist das Wetter in Berlin?' }),
      JSON.stringify({
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_0', name: 'get_location', args: [], type: 'tool_call' },
          { id: 'call_1', name: 'get_weather', args: { city: 'Berlin' }, type: 'tool_call' },
        ],
      }),
      JSON.stringify({ role: 'tool', tool_call_id: 'call_0', content: { city: 'Berlin' } }),
      JSON.stringify({ role: 'tool', content: 'a result without a call id' }),
      JSON.stringify({ role: 'user', content: [{ type: 'text', text: 'Und das hier?' }, { type: 'file', file_id: 9 }] }),
    ];
    const toolMessage = JSON.stringify([{ tool_call_id: 'call_1', name: 'get_weather', content: { celsius: 21 } }]);
    const out = await runChatWithTools({ system_prompt: '', input: '', tool_message: toolMessage, history, tools }, ctx, deps);
    expect(out).toEqual({ output: 'In Berlin sind es 21 Grad.', tool_calls: '' });
    expect(bodies[0]!.messages).toEqual([
      { role: 'user', content: 'Hallo' },
      { role: 'assistant', content: 'Hallo! Wie kann ich helfen?' },
      { role: 'user', content: 'Wie ist das Wetter in Berlin?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          // PHP writes an empty argument map as [], which OpenAI refuses: it becomes {}.
          { id: 'call_0', type: 'function', function: { name: 'get_location', arguments: '{}' } },
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Berlin"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_0', content: '{"city":"Berlin"}' },
      // Nextcloud file references are not coordinator files: only the text part is replayed.
      { role: 'user', content: [{ type: 'text', text: 'Und das hier?' }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
    ]);
  });

  it('sends no `tools` when the list is empty or blank: the model then just chats', async () => {
    const bodies = handleChat(server, () => 'Hallo!');
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await runChatWithTools({ ...firstTurn, tools: '[]' }, ctx, deps);
    await runChatWithTools({ ...firstTurn, tools: '  ' }, ctx, deps);
    expect(bodies.map((b) => 'tools' in b)).toEqual([false, false]);
  });

  it.each([
    ['not JSON', '[{"type": "function",', 'not JSON'],
    ['not a list', JSON.stringify(weatherTool), 'not a JSON list'],
    ['a definition without a name', JSON.stringify([{ type: 'function', function: { description: 'x' } }]), 'entry 0 is not a function tool definition'],
  ])('fails on tools that are %s, before any request, saying what is expected', async (_case, badTools, problem) => {
    const bodies = handleChat(server, () => 'x');
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await expect(runChatWithTools({ ...firstTurn, tools: badTools }, ctx, deps)).rejects.toMatchObject({
      name: 'ProcessingError',
      message: expect.stringContaining(`Input slot "tools" is invalid: ${problem}`),
      userFacingMessage:
        'The tool definitions ("tools") must be a JSON list of tool definitions like [{"type": "function", "function": {"name": "...", "parameters": {...}}}]',
    });
    expect(bodies).toEqual([]);
  });

  it('fails on tool results that are not a list of results with a call id', async () => {
    const bodies = handleChat(server, () => 'x');
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    for (const toolMessage of ['{oops', JSON.stringify([{ content: 'no id' }])]) {
      await expect(runChatWithTools({ ...firstTurn, tool_message: toolMessage }, ctx, deps)).rejects.toMatchObject({
        userFacingMessage: expect.stringMatching(/^The tool results \("tool_message"\) must be a JSON list/),
      });
    }
    expect(bodies).toEqual([]);
  });

  it('fails when there is nothing to answer, or the model answers neither text nor tool calls', async () => {
    handleChat(server, () => '<think>nothing</think>');
    const { deps } = createTestDeps();
    const { ctx } = createFakeContext();
    await expect(runChatWithTools({ ...firstTurn, input: ' ' }, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'The input text is empty',
    });
    await expect(runChatWithTools(firstTurn, ctx, deps)).rejects.toMatchObject({
      userFacingMessage: 'The AI service returned an empty answer',
    });
  });
});
