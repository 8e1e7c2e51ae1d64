import { open, stat } from 'node:fs/promises';
import { StartError } from './start-error.ts';

const hint = 'LLAMA_MODEL_PATH must name a GGUF model file (e.g. a *.Q4_K_M.gguf from Hugging Face; see providers/llama/README.md)';

/**
 * Checks what node-llama-cpp would report vaguely or late: that the file exists, is a file, can
 * be read, and starts with the GGUF magic. Returns its size.
 */
export async function checkModelFile(path: string): Promise<{ bytes: number }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StartError(`LLAMA_MODEL_PATH: no such file: ${path}\n${hint}`);
    throw new StartError(`LLAMA_MODEL_PATH: cannot read ${path}: ${(error as Error).message}`);
  }
  if (info.isDirectory()) throw new StartError(`LLAMA_MODEL_PATH: ${path} is a directory, not a model file\n${hint}`);
  if (!info.isFile()) throw new StartError(`LLAMA_MODEL_PATH: ${path} is not a regular file\n${hint}`);

  const magic = Buffer.alloc(4);
  let read = 0;
  try {
    const file = await open(path, 'r');
    try {
      ({ bytesRead: read } = await file.read(magic, 0, 4, 0));
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new StartError(`LLAMA_MODEL_PATH: cannot read ${path}: ${(error as Error).message}`);
  }
  if (read < 4 || magic.toString('latin1') !== 'GGUF') {
    const seen = read === 0 ? 'it is empty' : `it starts with ${JSON.stringify(magic.subarray(0, read).toString('latin1'))}, not "GGUF"`;
    throw new StartError(`LLAMA_MODEL_PATH: ${path} is not a GGUF model file (${seen})\n${hint}`);
  }
  return { bytes: info.size };
}
