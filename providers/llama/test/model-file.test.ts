import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelFile } from '../src/index.ts';

// What node-llama-cpp would report late or vaguely, named at start.
describe('checkModelFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-file-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts a file that starts with the GGUF magic, and returns its size', async () => {
    await writeFile(join(dir, 'ok.gguf'), Buffer.from('GGUF\x03\x00\x00\x00'));
    expect(await checkModelFile(join(dir, 'ok.gguf'))).toEqual({ bytes: 8 });
  });

  it.each([
    ['a missing file', async () => join(dir, 'nope.gguf'), /no such file: .*nope\.gguf/],
    ['a path through a file', async () => join(dir, 'ok.gguf', 'inner.gguf'), /no such file/],
    ['a directory', async () => (await mkdir(join(dir, 'models'), { recursive: true }), join(dir, 'models')), /is a directory, not a model file/],
    ['an empty file', async () => (await writeFile(join(dir, 'empty.gguf'), ''), join(dir, 'empty.gguf')), /is not a GGUF model file \(it is empty\)/],
    ['a 2-byte file', async () => (await writeFile(join(dir, 'short.gguf'), 'GG'), join(dir, 'short.gguf')), /it starts with "GG", not "GGUF"/],
    ['another format', async () => (await writeFile(join(dir, 'model.bin'), 'PK\x03\x04zip'), join(dir, 'model.bin')), /it starts with "PK\\u0003\\u0004", not "GGUF"/],
  ])('refuses %s with a message naming LLAMA_MODEL_PATH', async (_what, path, message) => {
    const error = await checkModelFile(await path()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toMatchObject({ name: 'StartError' });
    expect(error!.message).toMatch(/^LLAMA_MODEL_PATH: /);
    expect(error!.message).toMatch(message);
  });
});
