/**
 * Figures of the provider's own path on the tiny test model (nothing downloaded): how long the
 * model takes to load (backend, weights, context), the time to first token and tokens per second
 * of one generation, and of two in parallel sequences of the one context. They measure the
 * plumbing on this machine, not a real model's speed.
 *
 *   npm run bench:llama -- [--threads 1] [--tokens 256] [--runs 5]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDefaultLogger } from '@taskproc/provider-sdk';
import { createGenerator, createSequencePool, loadConfig, loadModel, type Generator } from '../src/index.ts';
import { tinyLlamaGguf } from './tiny-llama.ts';

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '1' }, tokens: { type: 'string', default: '256' }, runs: { type: 'string', default: '5' } },
});
const maxTokens = Number(values.tokens);
const runs = Number(values.runs);

const dir = await mkdtemp(join(tmpdir(), 'taskproc-llama-measure-'));
const modelPath = join(dir, 'tiny.gguf');
await writeFile(modelPath, tinyLlamaGguf());
const config = loadConfig({
  TASKPROC_URL: 'http://127.0.0.1:9',
  TASKPROC_TOKEN: 'unused',
  LLAMA_MODEL_PATH: modelPath,
  LLAMA_CONTEXT_SIZE: '4096',
  LLAMA_CONCURRENCY: '2',
  LLAMA_THREADS: values.threads,
});

// The provider's own 'model loaded' line carries the load time and where it went.
let loadLine: Record<string, unknown> = {};
const warnings = createDefaultLogger('warn');
const loaded = await loadModel(config, {
  debug: () => {},
  info: (fields: unknown) => {
    if (typeof fields === 'object' && fields !== null && (fields as { event?: unknown }).event === 'model loaded') loadLine = fields as Record<string, unknown>;
  },
  warn: warnings.warn.bind(warnings),
  error: warnings.error.bind(warnings),
});
const generator = createGenerator(loaded.model, loaded.chatWrapper, createSequencePool(loaded.context, 2), loaded.contextSize);

/** One generation as a summary task makes it, timed from the call (prompt evaluation included). */
async function generation(g: Generator, text: string) {
  const startedAt = performance.now();
  let firstAt: number | undefined;
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
  await g.generate(
    {
      kind: 'summary',
      turns: [
        { role: 'system', text: 'Summarize the text the user sends.' },
        { role: 'user', text },
      ],
      settings: { maxTokens, temperature: 0.7 },
      onText: () => void (firstAt ??= performance.now()),
    },
    { signal: new AbortController().signal, logger: quiet },
  );
  const endedAt = performance.now();
  return { ttftMs: (firstAt ?? endedAt) - startedAt, totalMs: endedAt - startedAt };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const one = { ttft: [] as number[], tps: [] as number[] };
const two = { ttft: [] as number[], tps: [] as number[] };
await generation(generator, 'warm up'); // the first evaluation pages the weights in
for (let i = 0; i < runs; i++) {
  const r = await generation(generator, `The water is hot, run ${i}. We can see it from the side.`);
  one.ttft.push(r.ttftMs);
  // The decoding rate, from the first token on, as the provider logs it (the prompt is in the first token's time).
  one.tps.push((maxTokens - 1) / ((r.totalMs - r.ttftMs) / 1000));
  const started = performance.now();
  const both = await Promise.all([generation(generator, `First of two, run ${i}.`), generation(generator, `Second of two, run ${i}.`)]);
  two.ttft.push(Math.max(...both.map((b) => b.ttftMs)));
  two.tps.push((2 * maxTokens) / ((performance.now() - started) / 1000));
}
const modelBytes = loaded.model.size;
await loaded.dispose();
await rm(dir, { recursive: true, force: true });

console.log(`tiny model (${modelBytes} bytes in memory), ${cpus().length} CPUs (${cpus()[0]?.model}), LLAMA_THREADS=${values.threads}, ${maxTokens} tokens per generation, median of ${runs}`);
console.log(
  `model load: ${loadLine.loadMs} ms (native backend ${loadLine.backendMs} ms, checks + weights ${loadLine.weightsMs} ms, context of 2 × 4096 tokens ${loadLine.contextMs} ms)`,
);
console.log(`one generation:            first token ${median(one.ttft).toFixed(1)} ms, ${Math.round(median(one.tps))} tokens/s after it`);
console.log(`two in parallel sequences: first token ${median(two.ttft).toFixed(1)} ms (the later of the two), ${Math.round(median(two.tps))} tokens/s together, prompts included`);
