import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeConnectionError } from '../src/api-errors.ts';
import { completeChat } from '../src/complete-chat.ts';
import { probeModelServer } from '../src/probe-model-server.ts';
import { createOpenAiClient, loadConfig, type OpenAiDeps } from '../src/index.ts';

// Real sockets (no msw): what an operator reads when the model server is not there.

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connection errors name where and why', () => {
  it('a refused connection says ECONNREFUSED with the host and port, not only "Connection error."', async () => {
    const port = await closedPort();
    const config = loadConfig({ TASKPROC_URL: 'http://127.0.0.1:9', TASKPROC_TOKEN: 't', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_MAX_RETRIES: '0' });
    const deps: OpenAiDeps = { client: createOpenAiClient(config), config, sleep: async () => {}, random: () => 0, now: Date.now };
    const logger = { debug: () => {}, info: () => {}, warn: () => {} };
    const error = await completeChat([{ role: 'user', content: 'hi' }], 'chat', { signal: new AbortController().signal, logger }, deps).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(new RegExp(`ECONNREFUSED to 127\\.0\\.0\\.1:${port}`));

    const probe = await probeModelServer(deps.client, config);
    expect(probe).toEqual({ reachable: false, reason: expect.stringMatching(new RegExp(`ECONNREFUSED to 127\\.0\\.0\\.1:${port}`)) });
  });

  it('falls back to the message when no socket error is underneath', () => {
    expect(describeConnectionError(new Error('Connection error.'))).toBe('Connection error.');
  });
});
