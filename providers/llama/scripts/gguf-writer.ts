/**
 * A minimal GGUF (version 3) encoder: typed metadata and F32 tensors, nothing else. Enough to
 * write test models; see ggml's docs/gguf.md for the format. Little-endian throughout: a magic
 * "GGUF", the version, the tensor and key counts, the key/value pairs, the tensor infos (name,
 * dimensions innermost first, type, offset into the data), padding to the alignment, the data.
 */

/** A metadata value with its GGUF type, since JavaScript numbers do not say which they are. */
export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: 'string'; value: readonly string[] }
  | { type: 'array'; itemType: 'f32' | 'i32'; value: readonly number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: the first dimension is the one that varies fastest (a row's length). */
  dims: readonly number[];
  /** The values, or undefined to declare the tensor without writing its data (a header-only file). */
  data: Float32Array | undefined;
}

const valueTypeIds = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
const ggmlTypeF32 = 0;
const alignment = 32;

/** Encodes a GGUF file: the header, and the data of every tensor that has some. */
export function encodeGguf(metadata: ReadonlyArray<readonly [string, GgufValue]>, tensors: readonly GgufTensor[]): Uint8Array {
  const out = new ByteWriter();
  out.bytes(new TextEncoder().encode('GGUF'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    const elements = tensor.dims.reduce((a, b) => a * b, 1);
    if (tensor.data && elements !== tensor.data.length) {
      throw new Error(`${tensor.name}: dims ${tensor.dims.join('x')} but ${tensor.data.length} values`);
    }
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(ggmlTypeF32);
    out.u64(offset);
    offsets.push(offset);
    offset = alignUp(offset + elements * 4);
  }
  out.padTo(alignment);
  const dataStart = out.length;
  tensors.forEach((tensor, i) => {
    if (!tensor.data) return;
    out.padTo(alignment, dataStart + offsets[i]!);
    out.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  });
  return out.finish();
}

function writeValue(out: ByteWriter, v: GgufValue): void {
  out.u32(valueTypeIds[v.type]);
  switch (v.type) {
    case 'u32':
      return out.u32(v.value);
    case 'i32':
      return out.i32(v.value);
    case 'f32':
      return out.f32(v.value);
    case 'bool':
      return out.u8(v.value ? 1 : 0);
    case 'string':
      return out.string(v.value);
    case 'array':
      out.u32(valueTypeIds[v.itemType]);
      out.u64(v.value.length);
      for (const item of v.value) {
        if (typeof item === 'string') out.string(item);
        else if (v.itemType === 'f32') out.f32(item);
        else out.i32(item);
      }
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** A growable little-endian buffer. */
class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  /** Makes room for `n` more bytes (zeros until written) and returns where they start. */
  private reserve(n: number): number {
    if (this.length + n > this.buffer.length) {
      const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
      bigger.set(this.buffer.subarray(0, this.length));
      this.buffer = bigger;
      this.view = new DataView(bigger.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }
  // Each reserves first and only then reads this.view / this.buffer: reserving may replace them.
  u8(v: number) {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  u32(v: number) {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  i32(v: number) {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
  }
  f32(v: number) {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  u64(v: number) {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
  }
  bytes(b: Uint8Array) {
    const at = this.reserve(b.length);
    this.buffer.set(b, at);
  }
  /** A GGUF string: u64 byte length, UTF-8 bytes, no terminator. */
  string(s: string) {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.bytes(b);
  }
  /** Zero bytes up to the next multiple of `to`, or up to the absolute position `until`. */
  padTo(to: number, until = Math.ceil(this.length / to) * to) {
    this.reserve(until - this.length);
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
