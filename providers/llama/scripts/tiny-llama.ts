/**
 * A tiny llama-architecture GGUF with seeded random weights, for tests and measurements that
 * must not download a model: a SentencePiece-style vocabulary of 531 tokens (control
 * tokens, the 256 byte tokens, letters and word pieces), 2 layers of width 32, a ChatML chat
 * template, all F32. About 250 KB. Its output is gibberish made of word pieces that, by design,
 * never ends early: see `suppressDimension`.
 */
import { encodeGguf, type GgufTensor, type GgufValue } from './gguf-writer.ts';

export interface TinyLlamaOptions {
  /** Seed of the weights; the same seed writes the same file. Default 1. */
  seed?: number;
  /** The context the model claims to be trained on (`llama.context_length`). Default 32768, so tests may use long contexts. */
  trainContextSize?: number;
}

/** Hyperparameters: small enough that a token costs well under a millisecond on one core. */
export const tinyLlamaShape: LlamaShape = { nEmbd: 32, nHead: 2, nHeadKv: 2, nFf: 96, nLayer: 2 };

/**
 * A shape no machine has the memory for (about 1.5 TiB of weights), written as a header only:
 * what the provider's "too large for memory" check must refuse before it reads any weight.
 */
const oversizedShape: LlamaShape = { nEmbd: 16384, nHead: 128, nHeadKv: 8, nFf: 53248, nLayer: 126 };

interface LlamaShape {
  nEmbd: number;
  nHead: number;
  nHeadKv: number;
  nFf: number;
  nLayer: number;
}

// SentencePiece token types (llama.cpp's LLAMA_TOKEN_TYPE_*).
const normal = 1;
const unknown = 2;
const control = 3;
const byte = 6;

/** Common English words: their prefixes are the word pieces, so the tokenizer can merge up to them. */
const words =
  'the and of to in is it that was for on are with as be at one have this from by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find'.split(
    ' ',
  );

/** The vocabulary: text, type and SentencePiece score (higher merges first) of every token. */
function vocabulary(): Array<{ text: string; type: number; score: number }> {
  const tokens = [
    { text: '<unk>', type: unknown, score: 0 },
    { text: '<s>', type: control, score: 0 },
    { text: '</s>', type: control, score: 0 },
    { text: '<|im_start|>', type: control, score: 0 },
    { text: '<|im_end|>', type: control, score: 0 },
  ];
  // Byte fallback: any text tokenizes, whatever characters it has.
  for (let b = 0; b < 256; b++) tokens.push({ text: `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, type: byte, score: 0 });
  // SentencePiece merges two neighbouring pieces at a time, so every prefix of a word must be a token.
  const pieces = new Set<string>(['▁', ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,!?\'-:']);
  for (const word of words) {
    const spaced = `▁${word}`;
    for (let n = 2; n <= spaced.length; n++) pieces.add(spaced.slice(0, n));
  }
  for (const text of pieces) tokens.push({ text, type: normal, score: -100 + [...text].length });
  return tokens;
}

/** ChatML, which node-llama-cpp recognises (it then uses its ChatML wrapper). */
const chatTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * Embedding dimension 0 is a constant that no layer writes to (their output rows for it are
 * zero), so after the final norm it is always positive; the output rows of control and byte
 * tokens weigh it strongly negative. The model therefore never writes an end-of-turn token (a
 * generation runs to its maxTokens, so tests decide its length) nor raw bytes (the text stays
 * valid UTF-8 without NUL).
 */
const suppressDimension = 0;
const constantValue = 3;
const suppressWeight = -50;

/** Encodes the tiny model as GGUF bytes. */
export function tinyLlamaGguf(options: TinyLlamaOptions = {}): Uint8Array {
  return llamaGguf(tinyLlamaShape, options, gaussian(options.seed ?? 1));
}

/** The header of a llama GGUF far too large for any machine's memory; the weights are left out. */
export function oversizedLlamaGgufHeader(): Uint8Array {
  return llamaGguf(oversizedShape, {}, undefined);
}

function llamaGguf(shape: LlamaShape, options: TinyLlamaOptions, random: (() => number) | undefined): Uint8Array {
  const { nEmbd, nHead, nHeadKv, nFf, nLayer } = shape;
  const vocab = vocabulary();
  const nVocab = vocab.length;
  const headDim = nEmbd / nHead;

  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'taskproc tiny test llama' }],
    ['general.file_type', { type: 'u32', value: 0 }], // all F32
    ['llama.context_length', { type: 'u32', value: options.trainContextSize ?? 32768 }],
    ['llama.embedding_length', { type: 'u32', value: nEmbd }],
    ['llama.block_count', { type: 'u32', value: nLayer }],
    ['llama.feed_forward_length', { type: 'u32', value: nFf }],
    ['llama.attention.head_count', { type: 'u32', value: nHead }],
    ['llama.attention.head_count_kv', { type: 'u32', value: nHeadKv }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: headDim }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: nVocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: vocab.map((t) => t.text) }],
    ['tokenizer.ggml.scores', { type: 'array', itemType: 'f32', value: vocab.map((t) => t.score) }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'i32', value: vocab.map((t) => t.type) }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 4 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: chatTemplate }],
  ];

  /** A weight of `rows` rows of length `cols` (ggml dims [cols, rows]); `row` adjusts each row. */
  const matrix = (name: string, cols: number, rows: number, std: number, row?: (r: number, values: Float32Array) => void): GgufTensor => {
    if (!random) return { name, dims: [cols, rows], data: undefined };
    const data = new Float32Array(cols * rows);
    for (let i = 0; i < data.length; i++) data[i] = random() * std;
    if (row) for (let r = 0; r < rows; r++) row(r, data.subarray(r * cols, (r + 1) * cols));
    return { name, dims: [cols, rows], data };
  };
  const ones = (name: string, n: number): GgufTensor => ({ name, dims: [n], data: random ? new Float32Array(n).fill(1) : undefined });
  const noWriteToConstant = (r: number, values: Float32Array) => {
    if (r === suppressDimension) values.fill(0);
  };

  const tensors: GgufTensor[] = [
    matrix('token_embd.weight', nEmbd, nVocab, 1, (_r, values) => {
      values[suppressDimension] = constantValue;
    }),
    ones('output_norm.weight', nEmbd),
    matrix('output.weight', nEmbd, nVocab, 0.3, (r, values) => {
      if (vocab[r]!.type !== normal) {
        values.fill(0);
        values[suppressDimension] = suppressWeight;
      } else {
        values[suppressDimension] = 0;
      }
    }),
  ];
  for (let l = 0; l < nLayer; l++) {
    const b = `blk.${l}`;
    tensors.push(
      ones(`${b}.attn_norm.weight`, nEmbd),
      matrix(`${b}.attn_q.weight`, nEmbd, nHead * headDim, 0.2),
      matrix(`${b}.attn_k.weight`, nEmbd, nHeadKv * headDim, 0.2),
      matrix(`${b}.attn_v.weight`, nEmbd, nHeadKv * headDim, 0.2),
      matrix(`${b}.attn_output.weight`, nHead * headDim, nEmbd, 0.1, noWriteToConstant),
      ones(`${b}.ffn_norm.weight`, nEmbd),
      matrix(`${b}.ffn_gate.weight`, nEmbd, nFf, 0.2),
      matrix(`${b}.ffn_up.weight`, nEmbd, nFf, 0.2),
      matrix(`${b}.ffn_down.weight`, nFf, nEmbd, 0.1, noWriteToConstant),
    );
  }
  return encodeGguf(metadata, tensors);
}

/** Standard normal numbers from a seeded generator (mulberry32 and Box-Muller): the same seed, the same model. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
