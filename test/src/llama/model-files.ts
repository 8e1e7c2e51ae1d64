import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oversizedLlamaGgufHeader, tinyLlamaGguf } from '../../../providers/llama/scripts/tiny-llama.ts';

/** The model files the llama provider tests start it with, written to a fresh temporary directory. */
export interface LlamaModelFiles {
  /** The tiny random-weight llama (about 250 KB), written in milliseconds: nothing is downloaded. */
  tiny: string;
  /** A text file with a .gguf name. */
  notGguf: string;
  /** A GGUF header declaring about 1.5 TiB of weights (the weights are left out). */
  oversized: string;
  remove(): Promise<void>;
}

export async function writeLlamaModelFiles(): Promise<LlamaModelFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'taskproc-llama-'));
  const files = { tiny: join(dir, 'tiny.gguf'), notGguf: join(dir, 'notes.gguf'), oversized: join(dir, 'oversized.gguf') };
  await Promise.all([
    writeFile(files.tiny, tinyLlamaGguf()),
    writeFile(files.notGguf, 'These are notes, not a model.\n'),
    writeFile(files.oversized, oversizedLlamaGgufHeader()),
  ]);
  return { ...files, remove: () => rm(dir, { recursive: true, force: true }) };
}
