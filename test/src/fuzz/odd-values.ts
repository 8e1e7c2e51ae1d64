import fc from 'fast-check';

// The values that break servers: strings a database cannot store, numbers past column ranges,
// keys every object "has", and JSON that JSON.stringify never writes (a literal "__proto__" key,
// duplicate keys, nesting deeper than any schema, numbers past double range). Each arbitrary
// here is about one of those; the request builders mix them into otherwise valid requests.

const int4Max = 2_147_483_647;

export const oddStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '\uFFFF',
  '\uFEFFbom',
  '\u202Eevil',
  '😀',
  'e\u0301',
  '\r\n',
  '\t',
  '%00',
  '%',
  '%ZZ',
  '../..',
  '0',
  '-1',
  '1.5',
  '1e309',
  String(int4Max + 1),
  '9007199254740993',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'ǅ',
  'x'.repeat(257),
  'y'.repeat(2_049),
];

export const oddNumbers: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  int4Max,
  int4Max + 1,
  -int4Max - 1,
  -int4Max - 2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  2 ** 63,
  1e21,
  1e308,
  -1e308,
  5e-324,
  Number.EPSILON,
];

/** Keys that are not slots or fields but that every object "has", or that a database cannot store. */
export const oddKeys: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '',
  '\u0000',
  '\uD800',
  'k'.repeat(300),
];

/** A piece of JSON text spliced into a body as is, where JSON.stringify could not write it. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Raw JSON fragments JSON.stringify never produces. */
export const rawFragments: fc.Arbitrary<RawJson> = fc.oneof(
  fc.constantFrom('{"__proto__":{"polluted":true}}', '{"__proto__":"x","a":1}', '{"a":1,"a":2}', '1e999', '-1e999', '-0', '1.0', '123456789012345678901234567890', '"\\ud800"', '"\\u0000"', '"\\udc00x"'),
  fc.integer({ min: 64, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 64, max: 5_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
).map((text) => new RawJson(text));

/** A value of the wrong JSON type for almost any field. */
export const wrongTypes: fc.Arbitrary<unknown> = fc.constantFrom(null, true, false, [], {}, [[]], { a: {} }, 'x', 0, [1, 'a']);

/** Any odd value: a string, number, wrong type or raw fragment. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...oddStrings) },
  { weight: 3, arbitrary: fc.constantFrom(...oddNumbers) },
  { weight: 2, arbitrary: wrongTypes },
  { weight: 1, arbitrary: rawFragments },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** `obj` with an own `key` (also `"__proto__"`, which plain assignment would turn into a prototype). */
export function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...obj };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** JSON text of `value`, with each RawJson spliced in verbatim. */
export function toJsonText(value: unknown): string {
  const fragments: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      fragments.push(v.text);
      return `\u0001raw${fragments.length - 1}\u0001`;
    }
    return v;
  });
  // Placeholders are JSON strings; \u0001 is escaped by JSON.stringify, so it cannot collide with data.
  return (text ?? 'null').replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => fragments[Number(i)]!);
}

/** Byte sequences that are not UTF-8: overlong, a UTF-8-encoded surrogate, stray bytes, a cut-off sequence. */
export const badUtf8: readonly (readonly number[])[] = [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xff], [0xe2, 0x82], [0x80]];

/** `text` as UTF-8 with bad bytes put in at `at` (a fraction of its length). */
export function withBadBytes(text: string, bytes: readonly number[], at: number): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const cut = Math.floor(encoded.length * at);
  return new Uint8Array([...encoded.subarray(0, cut), ...bytes, ...encoded.subarray(cut)]);
}
