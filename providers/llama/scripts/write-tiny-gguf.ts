/**
 * Writes the tiny test model (tiny-llama.ts) to a file, for trying the provider without a
 * download:
 *
 *   npx tsx providers/llama/scripts/write-tiny-gguf.ts /tmp/tiny.gguf [seed]
 *   TASKPROC_URL=http://127.0.0.1:8700 TASKPROC_TOKEN=... LLAMA_MODEL_PATH=/tmp/tiny.gguf npm run provider:llama
 *
 * The model writes gibberish; it shows the plumbing, not the prose.
 */
import { writeFile } from 'node:fs/promises';
import { tinyLlamaGguf } from './tiny-llama.ts';

const [path, seed] = process.argv.slice(2);
if (!path) {
  console.error('usage: write-tiny-gguf.ts <output.gguf> [seed]');
  process.exit(2);
}
const bytes = tinyLlamaGguf({ seed: seed ? Number(seed) : 1 });
await writeFile(path, bytes);
console.log(`wrote ${path} (${bytes.length} bytes)`);
