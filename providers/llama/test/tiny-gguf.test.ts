import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oversizedLlamaGgufHeader, tinyLlamaGguf, tinyLlamaShape } from '../scripts/tiny-llama.ts';

// The generated test model as node-llama-cpp's own GGUF reader sees it: the keys llama.cpp
// needs to load a llama and tokenize, and the sizes the tests rely on. (That it loads and
// generates is what test/test/llama-provider.test.ts shows.)
describe('the tiny test GGUF', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiny-gguf-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is a few hundred KB with the llama and tokenizer metadata', async () => {
    const bytes = tinyLlamaGguf();
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(bytes.length).toBeLessThan(400_000);
    const path = join(dir, 'tiny.gguf');
    await writeFile(path, bytes);
    const info = await readGgufFileInfo(path);
    const m = info.metadata as any;
    expect(m.general.architecture).toBe('llama');
    expect(m.llama).toMatchObject({
      embedding_length: tinyLlamaShape.nEmbd,
      block_count: tinyLlamaShape.nLayer,
      feed_forward_length: tinyLlamaShape.nFf,
      attention: { head_count: tinyLlamaShape.nHead, head_count_kv: tinyLlamaShape.nHeadKv },
    });
    expect(m.tokenizer.ggml.model).toBe('llama');
    const tokens: string[] = m.tokenizer.ggml.tokens;
    expect(tokens.slice(0, 5)).toEqual(['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>']);
    expect(tokens).toContain('<0x0A>');
    expect(m.tokenizer.ggml.scores).toHaveLength(tokens.length);
    expect(m.tokenizer.ggml.token_type).toHaveLength(tokens.length);
    expect(m.tokenizer.chat_template).toContain('<|im_start|>');
    expect(info.tensorInfo).toHaveLength(3 + 9 * tinyLlamaShape.nLayer);
  });

  it('writes the same bytes for the same seed, other weights for another', () => {
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    expect(same(tinyLlamaGguf({ seed: 7 }), tinyLlamaGguf({ seed: 7 }))).toBe(true);
    expect(same(tinyLlamaGguf({ seed: 7 }), tinyLlamaGguf({ seed: 8 }))).toBe(false);
  });

  it('has an oversized twin that declares about 1.5 TiB of weights in a header of a few KB', async () => {
    const bytes = oversizedLlamaGgufHeader();
    expect(bytes.length).toBeLessThan(100_000);
    const path = join(dir, 'oversized.gguf');
    await writeFile(path, bytes);
    const info = await readGgufFileInfo(path);
    const declared = info.tensorInfo!.reduce((sum, t) => sum + t.dimensions.reduce<number>((a, b) => a * Number(b), 1) * 4, 0);
    expect(declared).toBeGreaterThan(1024 * 2 ** 30);
  });
});
