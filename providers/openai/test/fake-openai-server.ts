import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonBodyType } from 'msw';
import { chatAnswer, type ChatBody } from './support.ts';

/** A streamed answer: these pieces, one SSE chunk each; `hang` keeps the stream open after them (until the client goes). */
export interface StreamedAnswer {
  chunks: string[];
  hang?: boolean;
}

/**
 * A tiny OpenAI chat API on a loopback port, for tests that run the provider as its own process
 * (msw intercepts only inside the test process). Answers every chat completion with
 * `answer(body)`: a text, a whole completion (tool calls, see support.ts toolCallAnswer), or
 * pieces to stream. A request with `stream: true` gets server-sent chunks as OpenAI sends them
 * (a text answer is streamed word by word). Records the bodies; `nextRequest()` resolves with the
 * next one to arrive, `nextHangUp()` when a client leaves a stream before its end (a cancel).
 */
export async function startFakeOpenAi(answer: (body: ChatBody) => string | JsonBodyType | StreamedAnswer) {
  const bodies: ChatBody[] = [];
  const waiters: Array<(body: ChatBody) => void> = [];
  const hangUps: Array<() => void> = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'fake-llm', object: 'model', created: 0, owned_by: 'test' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatBody;
    bodies.push(body);
    waiters.splice(0).forEach((resolve) => resolve(body));
    const result = answer(body);
    if (body.stream) {
      const streamed = typeof result === 'string' ? { chunks: result.split(/(?<= )/) } : (result as StreamedAnswer);
      res.once('close', () => {
        if (!res.writableFinished) hangUps.splice(0).forEach((resolve) => resolve());
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_900_000_000, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }, null));
      for (const piece of streamed.chunks) res.write(chunk({ content: piece }, null));
      if (streamed.hang) return;
      res.end(`${chunk({}, 'stop')}data: [DONE]\n\n`);
      return;
    }
    const completion = typeof result === 'string' ? chatAnswer(result) : result;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    bodies,
    nextRequest: () => new Promise<ChatBody>((resolve) => waiters.push(resolve)),
    nextHangUp: () => new Promise<void>((resolve) => hangUps.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
