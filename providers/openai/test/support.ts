import { http, HttpResponse, type JsonBodyType } from 'msw';
import type { SetupServer } from 'msw/node';
import { createOpenAiClient, loadConfig, type OpenAiDeps, type TaskContext } from '../src/index.ts';

/** Where the official client sends requests; msw answers them in process. */
export const apiBase = 'https://api.openai.com/v1';

/** Configuration as the process would read it, with a key and whatever a test overrides. */
export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({ TASKPROC_URL: 'http://127.0.0.1:9', TASKPROC_TOKEN: 'tp_provider', OPENAI_API_KEY: 'sk-test', ...env });
}

/**
 * Handler dependencies with the real `openai` client (created now, after msw patched fetch) and
 * a sleep that records each requested wait and returns at once, so delays are asserted exactly.
 */
export function createTestDeps(env: Record<string, string> = {}, options: { timeoutMs?: number } = {}) {
  const config = testConfig(env);
  const sleeps: number[] = [];
  const deps: OpenAiDeps = {
    client: createOpenAiClient({ ...config, timeoutMs: options.timeoutMs ?? config.timeoutMs }),
    config,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
    },
    random: () => 0,
    now: () => Date.parse('2030-01-01T00:00:00Z'),
  };
  return { deps, sleeps };
}

/** A task context with in-memory files and recorded progress, like the SDK's but without a coordinator. */
export function createFakeContext(files: Record<number, { bytes: Uint8Array; mimeType: string; name: string }> = {}) {
  const controller = new AbortController();
  const written: Array<{ id: number; bytes: Uint8Array; mimeType: string; name: string | undefined }> = [];
  const progress: number[] = [];
  const logs: Array<{ level: string; fields: object; msg: string | undefined }> = [];
  const log = (level: string) => (fields: object, msg?: string) => void logs.push({ level, fields, msg });
  let nextFileId = 1000;
  const ctx: TaskContext = {
    signal: controller.signal,
    reportProgress: async (p) => void progress.push(p),
    readFile: async (fileId) => {
      const file = files[fileId];
      if (!file) throw new Error(`no file ${fileId}`);
      return file;
    },
    writeFile: async (bytes, meta) => {
      const id = nextFileId++;
      written.push({ id, bytes, mimeType: meta.mimeType, name: meta.name });
      return id;
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn') },
  };
  return { ctx, controller, written, progress, logs };
}

/** A chat completion answer as the API sends it. */
export function chatAnswer(content: string, finishReason = 'stop'): JsonBodyType {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_900_000_000,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
  };
}

/**
 * A chat completion answer that calls tools, as OpenAI sends it: `finish_reason` "tool_calls",
 * the text (often null) and each call's arguments as a JSON string.
 */
export function toolCallAnswer(content: string | null, calls: Array<{ id: string; name: string; arguments: string }>): JsonBodyType {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_900_000_000,
    model: 'test-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
        },
        finish_reason: 'tool_calls',
      },
    ],
  };
}

/** A chat completion request as the tests read it. */
export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: unknown;
  stream?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
}

/**
 * Answers chat completions with `answer(body, index)` and records every request body, in order.
 */
export function handleChat(
  server: SetupServer,
  answer: (body: ChatBody, index: number) => string | Response,
  base = apiBase,
) {
  const bodies: ChatBody[] = [];
  server.use(
    http.post(`${base}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as ChatBody;
      bodies.push(body);
      const result = answer(body, bodies.length - 1);
      return typeof result === 'string' ? HttpResponse.json(chatAnswer(result)) : result;
    }),
  );
  return bodies;
}

/** An OpenAI-style error answer. */
export function apiError(status: number, error: { message: string; type?: string; code?: string | null }, headers: Record<string, string> = {}) {
  return HttpResponse.json({ error: { type: 'invalid_request_error', code: null, param: null, ...error } }, { status, headers });
}

/**
 * msw's strict mode, minus the `data:,` URL the openai client fetches once to probe for FormData
 * support before a file upload: every other request without a handler fails the test.
 */
export const strictRequests = {
  onUnhandledRequest(request: Request, print: { error(): void }) {
    if (!request.url.startsWith('data:')) print.error();
  },
};
