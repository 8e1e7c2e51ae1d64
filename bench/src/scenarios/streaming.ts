import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { TaskProcessingClient } from '@taskproc/client';
import { defineProvider, runProviders, type Logger } from '@taskproc/provider-sdk';
import { createHttp, waitForGauge } from '@taskproc/test';
import { createLatencyRecorder, type LatencySummary } from '../stats.ts';
import type { BenchCoordinator } from '../taskproc/bench-coordinator.ts';

export interface StreamingOptions {
  /** Tasks of the paced run, each streaming `pacedTokens` tokens `paceMs` apart. */
  pacedTasks: number;
  pacedTokens: number;
  paceMs: number;
  /** Tokens of the burst run: one task streaming as fast as its handler can. */
  burstTokens: number;
  /** Cancellations measured. */
  cancels: number;
}

export interface StreamingResult {
  /** Per token: from `ctx.stream` in the provider to the delta reaching the app's loop. */
  deltaLatency: LatencySummary;
  paceMs: number;
  /** The burst task: tokens the app received per second, and delta events (requests) per second. */
  burst: { tokens: number; tokensPerSecond: number; deltaEvents: number; deltaEventsPerSecond: number };
  /** From just before `client.cancel()` is sent to `ctx.signal` aborting in the provider. */
  cancel: LatencySummary;
  /** What the cancellation would wait for without the control stream: a third of the lease. */
  heartbeatIntervalMs: number;
}

const streamType = 'bench:stream';
const holdType = 'bench:hold';
const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };
const textShapes = {
  inputShape: { tokens: { name: 'Tokens', description: 'How many', type: 'Number' }, paceMs: { name: 'Pace', description: 'ms between tokens', type: 'Number' } },
  outputShape: { output: { name: 'Output', description: 'The tokens', type: 'Text' } },
} as const;

/**
 * Streaming and cancellation with an SDK runner in this process (so the provider's and the app's
 * timestamps come from one clock) against the bench coordinator: the app is @taskproc/client's
 * `stream()`. Token i is streamed as the text `i ` and timed from `ctx.stream` to the app.
 */
export async function measureStreaming(coordinator: BenchCoordinator, options: StreamingOptions): Promise<StreamingResult> {
  const emitted = new Map<string, bigint>();
  const started = new Map<number, () => void>();
  const aborted = new Map<number, (at: bigint) => void>();
  const streamer = defineProvider({
    id: streamType,
    name: 'Bench streamer',
    taskType: streamType,
    customTaskType: { id: streamType, name: 'Bench stream', description: 'Streams numbered tokens', ...textShapes },
    async process(input, ctx) {
      let text = '';
      for (let i = 0; i < input.tokens; i++) {
        const token = `${i} `;
        emitted.set(`${ctx.taskId}:${i}`, process.hrtime.bigint());
        ctx.stream(token);
        text += token;
        if (input.paceMs > 0) await sleep(input.paceMs);
        else if (i % 200 === 199) await yieldToIo();
      }
      return { output: text };
    },
  });
  const holder = defineProvider({
    id: holdType,
    name: 'Bench holder',
    taskType: holdType,
    customTaskType: { id: holdType, name: 'Bench hold', description: 'Waits until cancelled', ...textShapes },
    async process(_input, ctx) {
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted.get(ctx.taskId)?.(process.hrtime.bigint());
          resolve();
        });
        started.get(ctx.taskId)?.();
      });
      return { output: '' };
    },
  });
  const leaseMs = 60_000;
  const runner = runProviders({ url: coordinator.url, token: coordinator.providerToken, providers: [streamer, holder], concurrency: 8, leaseMs, logger: silent });
  const client = new TaskProcessingClient({ url: coordinator.url, token: coordinator.appToken });
  try {
    await runner.ready;
    // The runner's control stream is open: cancellations are then pushed.
    await waitForGauge(createHttp(coordinator.url, coordinator.adminToken), 'taskproc_control_streams', (n) => n >= 1);

    const deltaLatency = createLatencyRecorder();
    for (let t = 0; t < options.pacedTasks; t++) {
      const task = await client.schedule({ type: streamType, input: { tokens: options.pacedTokens, paceMs: options.paceMs }, preferStreaming: true });
      for await (const part of client.streamTask(task.id)) {
        if (part.kind !== 'delta') continue;
        const at = process.hrtime.bigint();
        for (const token of part.text.split(' ').filter(Boolean)) deltaLatency.record(at - emitted.get(`${task.id}:${token}`)!);
      }
      for (let i = 0; i < options.pacedTokens; i++) emitted.delete(`${task.id}:${i}`);
    }

    let tokens = 0;
    let deltaEvents = 0;
    let firstAt = 0n;
    let lastAt = 0n;
    for await (const part of client.stream(streamType, { tokens: options.burstTokens, paceMs: 0 })) {
      if (part.kind !== 'delta') continue;
      lastAt = process.hrtime.bigint();
      if (firstAt === 0n) firstAt = lastAt;
      deltaEvents++;
      tokens += part.text.split(' ').filter(Boolean).length;
    }
    emitted.clear();
    const seconds = Math.max(Number(lastAt - firstAt) / 1e9, 1e-9);

    const cancel = createLatencyRecorder();
    for (let i = 0; i < options.cancels; i++) {
      const task = await client.schedule({ type: holdType, input: { tokens: 0, paceMs: 0 } });
      await new Promise<void>((resolve) => started.set(task.id, resolve));
      const abortedAt = new Promise<bigint>((resolve) => aborted.set(task.id, resolve));
      const sentAt = process.hrtime.bigint();
      await client.cancel(task.id);
      cancel.record((await abortedAt) - sentAt);
      started.delete(task.id);
      aborted.delete(task.id);
      await sleep(5 + Math.random() * 10);
    }
    return {
      deltaLatency: deltaLatency.summary(),
      paceMs: options.paceMs,
      burst: {
        tokens,
        tokensPerSecond: Math.round(tokens / seconds),
        deltaEvents,
        deltaEventsPerSecond: Math.round(deltaEvents / seconds),
      },
      cancel: cancel.summary(),
      heartbeatIntervalMs: Math.floor(leaseMs / 3),
    };
  } finally {
    await runner.stop({ graceMs: 0 });
  }
}
