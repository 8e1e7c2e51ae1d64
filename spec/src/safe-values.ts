import { z } from 'zod';

// What PostgreSQL can store, said once: every schema whose values reach a text, jsonb or integer
// column builds on these, so the coordinator refuses such input with a 4xx naming the field (and
// the client and the provider SDK refuse it before sending) instead of the database refusing it
// with a 500. PGlite and PostgreSQL refuse the same things.

/** Largest value of an `integer` (int4) column, and of the `serial` ids. */
export const int4Max = 2_147_483_647;
/** Smallest value of an `integer` (int4) column. */
export const int4Min = -2_147_483_648;

// NUL: text columns refuse it, jsonb refuses `\u0000`. A lone surrogate has no UTF-8 form, so
// it cannot be sent to the database as text at all (and jsonb refuses its `\uD800` escape).
// eslint-disable-next-line no-control-regex
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Explains a refused text; also the `detail` of a refused slot value. */
export const unstorableTextMessage = 'must not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates';

/** True when `s` can be stored in a text or jsonb column: no NUL, no unpaired surrogate. */
export function isStorableText(s: string): boolean {
  return !unstorable.test(s);
}

const unstorableGlobal = new RegExp(unstorable.source, 'g');

/** `s` made storable: NUL characters dropped, unpaired surrogates replaced by U+FFFD. */
export function toStorableText(s: string): string {
  return s.replace(unstorableGlobal, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/** A string a text or jsonb column can hold. Chain min/max/regex on it as on z.string(). */
export function storableText() {
  return z.string().refine(isStorableText, { message: unstorableTextMessage });
}

/** True for an integer an int4 column can hold. */
export function isInt4(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= int4Min && n <= int4Max;
}

/** True for an id of a `serial` column: 1 .. 2^31-1. */
export function isRowId(n: unknown): n is number {
  return isInt4(n) && n > 0;
}

/** An id of a `serial` (int4) column in a JSON body. */
export function rowId() {
  return z.number().int().min(1).max(int4Max);
}

/**
 * An id of a `serial` (int4) column in a path or query parameter (a string on the wire): a larger
 * number names no row, and the database would refuse it as out of range.
 */
export function rowIdParam() {
  return z.coerce.number().int().min(1).max(int4Max);
}

// `real` (float4) columns: a double closer to zero than float4 can hold is an underflow error in
// PostgreSQL, not a zero; one past its range an overflow.
const float4MinNormal = 1.1754943508222875e-38;
const float4Max = 3.4028234663852886e38;

/** True for a number a `real` (float4) column can hold: 0, or a magnitude within float4's normal range. */
export function isStorableReal(n: number): boolean {
  return n === 0 || (Math.abs(n) >= float4MinNormal && Math.abs(n) <= float4Max);
}

/** A number a `real` (float4) column can hold. Chain min/max on it as on z.number(). */
export function storableReal() {
  return z.number().refine(isStorableReal, { message: 'must be 0 or of a magnitude from 1.18e-38 to 3.4e38 (a float4)' });
}

/**
 * Ids of `bigserial` columns (event ids) as JSON numbers: the bigint column holds more, but a
 * JSON number is exact only up to 2^53 - 1.
 */
export const bigIdMax = Number.MAX_SAFE_INTEGER;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * How deep JSON may nest where a schema cannot say more (task input and output are "any object"
 * to the schema): far more than any valid value needs, far less than would exhaust the stack of
 * code that walks the value recursively (hashing a request, comparing a result).
 */
export const maxJsonDepth = 32;

/** True when `value` nests at most `maxDepth` arrays and objects deep. Walks without recursion. */
export function isWithinDepth(value: unknown, maxDepth = maxJsonDepth): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return false;
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return true;
}

/**
 * z.record that refuses a `__proto__` key instead of dropping it. JSON.parse makes `"__proto__"`
 * an own property, and z.record skips that key silently (writing it would replace the output's
 * prototype), so without this a `__proto__` slot or default would vanish instead of being refused.
 */
export function recordOf<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V) {
  const record = z.record(key, value);
  return z.preprocess<unknown, typeof record, z.input<typeof record>>((input, ctx) => {
    if (isJsonObject(input) && Object.hasOwn(input, '__proto__')) {
      ctx.issues.push({ code: 'custom', message: '"__proto__" is not a valid key', path: ['__proto__'], input });
    }
    return input;
  }, record);
}
