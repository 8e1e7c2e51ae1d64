import { ProcessingError } from '@taskproc/provider-sdk';
import type {
  ChatCompletionContentPart,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionToolMessageParam,
} from 'openai/resources/chat/completions';
import type { TaskLogger } from './task-context.ts';

/**
 * Nextcloud's chat-with-tools slots and OpenAI function calling, both ways, as
 * nextcloud/integration_openai converts them (OpenAiAPIService::buildChatCompletionRequestParams
 * and normalizeChatCompletionResponse), so apps written for it (the Context Agent) work unchanged:
 *
 * - `tools`: a JSON list of OpenAI tool definitions `{"type":"function","function":{name,description,parameters}}`.
 * - `tool_message`: a JSON list of tool results `{"tool_call_id","name","content"}`, sent as `tool` messages.
 * - `history`: JSON strings of chat messages; assistant entries carry tool calls as Nextcloud
 *   stores them, `{"id","name","args"}` (LangChain's shape), `tool` entries their results.
 * - `tool_calls` (output): a JSON list `[{"name","id","args"}]`, or "" when the model called none.
 */

/** A tool call as Nextcloud passes it around: arguments as an object, not a JSON string. */
export interface NextcloudToolCall {
  name: string;
  id: string;
  args: unknown;
}

const toolsFormat = 'a JSON list of tool definitions like [{"type": "function", "function": {"name": "...", "parameters": {...}}}]';
const toolMessageFormat = 'a JSON list of tool results like [{"tool_call_id": "...", "content": "..."}]';

/** Parses the `tools` slot; blank means no tools. Anything else unusable fails the task, saying what was expected. */
export function parseTools(json: string): ChatCompletionFunctionTool[] {
  if (!json.trim()) return [];
  const list = parseJsonList(json, 'tools', toolsFormat);
  return list.map((item, index) => {
    const fn = isObject(item) ? item.function : undefined;
    if (!isObject(item) || (item.type !== undefined && item.type !== 'function') || !isObject(fn) || typeof fn.name !== 'string' || !fn.name) {
      throw invalidSlot('tools', `entry ${index} is not a function tool definition`, toolsFormat);
    }
    // `type` may be left out by hand-written definitions; OpenAI requires it. The rest (the
    // JSON Schema of the parameters) is the app's, passed on as it is for the model to read.
    return { ...item, type: 'function' } as unknown as ChatCompletionFunctionTool;
  });
}

/** Parses the `tool_message` slot into `tool` messages; blank means there are no tool results. */
export function parseToolMessages(json: string): ChatCompletionToolMessageParam[] {
  if (!json.trim()) return [];
  return parseJsonList(json, 'tool_message', toolMessageFormat).map((item, index) => {
    if (!isObject(item) || typeof item.tool_call_id !== 'string' || !item.tool_call_id) {
      throw invalidSlot('tool_message', `entry ${index} has no tool_call_id`, toolMessageFormat);
    }
    return toolMessage(item.tool_call_id, item.content);
  });
}

/**
 * Turns the `history` slot into chat messages, tool calls and tool results included. Entries
 * that are plain strings alternate user / assistant, as for core:text2text:chat; entries this
 * provider cannot replay (unknown roles, tool results without a call id, Nextcloud file
 * references, which are not coordinator files) are skipped with a log line.
 */
export function toolHistoryMessages(history: string[], logger: TaskLogger): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  history.forEach((entry, index) => {
    const parsed = parseObject(entry);
    if (!parsed || typeof parsed.role !== 'string') {
      messages.push({ role: index % 2 === 0 ? 'user' : 'assistant', content: entry });
      return;
    }
    const message = historyMessage(parsed.role.toLowerCase(), parsed, index, logger);
    if (message) messages.push(message);
  });
  return messages;
}

function historyMessage(
  role: string,
  entry: Record<string, unknown>,
  index: number,
  logger: TaskLogger,
): ChatCompletionMessageParam | undefined {
  const skip = (reason: string) => void logger.debug({ index, role }, `skipping chat history entry: ${reason}`);
  if (role === 'user' || role === 'human' || role === 'system') {
    const content = messageContent(entry.content, index, logger);
    if (content === undefined) return skip('no content');
    return role === 'system' ? { role: 'system', content: textOf(content) } : { role: 'user', content };
  }
  if (role === 'assistant' || role === 'ai') {
    const toolCalls = Array.isArray(entry.tool_calls) ? entry.tool_calls.flatMap((c) => openAiToolCall(c) ?? []) : [];
    const content = messageContent(entry.content, index, logger);
    if (content === undefined && toolCalls.length === 0) return skip('neither text nor tool calls');
    return {
      role: 'assistant',
      content: content === undefined ? null : textOf(content),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    };
  }
  if (role === 'tool') {
    if (typeof entry.tool_call_id !== 'string' || !entry.tool_call_id) return skip('a tool result without tool_call_id');
    return toolMessage(entry.tool_call_id, entry.content);
  }
  return skip('unsupported role');
}

/**
 * The JSON of the `tool_calls` output slot: function calls in Nextcloud's shape, or "" when the
 * model called no tool. Arguments that are not a JSON object become `{}`, as integration_openai
 * does, so the app gets an object it can read either way.
 */
export function nextcloudToolCalls(calls: ChatCompletionMessageToolCall[] | undefined, logger: TaskLogger): string {
  const functionCalls = (calls ?? []).filter((c): c is ChatCompletionMessageFunctionToolCall => c.type === 'function');
  if (functionCalls.length === 0) return '';
  const converted: NextcloudToolCall[] = functionCalls.map((call) => {
    const args = parseObject(call.function.arguments || '{}');
    if (!args) logger.warn({ tool: call.function.name }, 'tool call arguments are not a JSON object; passing {}');
    return { name: call.function.name, id: call.id, args: args ?? {} };
  });
  return JSON.stringify(converted);
}

/** A history tool call, in Nextcloud's shape or already in OpenAI's, as OpenAI wants it. */
function openAiToolCall(call: unknown): ChatCompletionMessageFunctionToolCall | undefined {
  if (!isObject(call)) return undefined;
  if (isObject(call.function) && typeof call.function.name === 'string') {
    const args = call.function.arguments;
    return {
      id: String(call.id ?? ''),
      type: 'function',
      function: { name: call.function.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    };
  }
  if (typeof call.name !== 'string') return undefined;
  // PHP encodes an empty argument map as `[]`; OpenAI wants an object.
  const args = Array.isArray(call.args) && call.args.length === 0 ? {} : (call.args ?? {});
  return {
    id: String(call.id ?? ''),
    type: 'function',
    function: { name: call.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
  };
}

function toolMessage(toolCallId: string, content: unknown): ChatCompletionToolMessageParam {
  // Some OpenAI-compatible servers (IONOS, per integration_openai) take only text tool results.
  return { role: 'tool', tool_call_id: toolCallId, content: typeof content === 'string' ? content : JSON.stringify(content ?? '') };
}

/** Text, or a list of text and image parts; undefined when nothing is left to send. */
function messageContent(content: unknown, index: number, logger: TaskLogger): string | ChatCompletionContentPart[] | undefined {
  if (typeof content === 'string') return content === '' ? undefined : content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.filter((part): part is ChatCompletionContentPart => {
    const kept = isObject(part) && (part.type === 'text' || part.type === 'image_url');
    if (!kept) logger.debug({ index, part: isObject(part) ? part.type : typeof part }, 'skipping a chat history content part');
    return kept;
  });
  return parts.length > 0 ? parts : undefined;
}

/** System and assistant messages take text parts only. */
function textOf(content: string | ChatCompletionContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function parseJsonList(json: string, slot: string, format: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw invalidSlot(slot, `not JSON (${(error as Error).message})`, format);
  }
  if (!Array.isArray(value)) throw invalidSlot(slot, 'not a JSON list', format);
  return value;
}

function invalidSlot(slot: string, problem: string, format: string): ProcessingError {
  return new ProcessingError(`Input slot "${slot}" is invalid: ${problem}`, {
    userFacingMessage: `The ${slot === 'tools' ? 'tool definitions' : 'tool results'} ("${slot}") must be ${format}`,
  });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
