import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonBodyType } from 'msw';
import { chatAnswer, type ChatBody } from './support.ts';

/**
 * A tiny OpenAI chat API on a loopback port, for tests that run the provider as its own process
 * (msw intercepts only inside the test process). Answers every chat completion with
 * `answer(body)`: a text, or a whole completion (tool calls, see support.ts toolCallAnswer).
 * Records the bodies; `nextRequest()` resolves with the next one to arrive.
 */
export async function startFakeOpenAi(answer: (body: ChatBody) => string | JsonBodyType) {
  const bodies: ChatBody[] = [];
  const waiters: Array<(body: ChatBody) => void> = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatBody;
    bodies.push(body);
    waiters.splice(0).forEach((resolve) => resolve(body));
    const result = answer(body);
    const completion = typeof result === 'string' ? chatAnswer(result) : result;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    bodies,
    nextRequest: () => new Promise<ChatBody>((resolve) => waiters.push(resolve)),
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
