import fc from 'fast-check';
import { isStorableText } from '@taskproc/spec';
import { oddKeys, oddNumbers, oddStrings, oddValue, withKey, wrongTypes } from './odd-values.ts';

// Arbitraries read off the spec's zod schemas, so a field added to a schema is fuzzed without a
// change here: `validOf` gives values the schema accepts (as far as its checks can be read: a
// refinement is a function, so its values are only likely to pass), `invalidOf` values with
// exactly one thing wrong (a bound crossed, a pattern missed, a key missing or unknown, a wrong
// type), so every check of a schema gets its turn. `overrides` puts the world's real ids where
// a field names one (a lease id, a provider id): random ids would only ever find "not found".

/** Replaces the arbitrary of a field, by its path in the value (array items as "*"). */
export type Overrides = (path: readonly string[]) => fc.Arbitrary<unknown> | undefined;

interface Checks {
  minLength?: number;
  maxLength?: number;
  patterns: RegExp[];
  min?: number;
  max?: number;
  minExclusive: boolean;
  maxExclusive: boolean;
  int: boolean;
}

// zod 4 keeps a schema's definition in `_zod.def`; these helpers are the one place that reads it.
type Def = any;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

function checksOf(schema: unknown): Checks {
  const found: Checks = { patterns: [], minExclusive: false, maxExclusive: false, int: false };
  for (const check of defOf(schema).checks ?? []) {
    const d = check._zod.def;
    if (d.check === 'min_length') found.minLength = d.minimum;
    else if (d.check === 'max_length') found.maxLength = d.maximum;
    else if (d.check === 'string_format' && d.pattern instanceof RegExp) found.patterns.push(d.pattern);
    else if (d.check === 'greater_than') [found.min, found.minExclusive] = [d.value, !d.inclusive];
    else if (d.check === 'less_than') [found.max, found.maxExclusive] = [d.value, !d.inclusive];
    else if (d.check === 'number_format' && /int/.test(d.format)) found.int = true;
  }
  return found;
}

/** The schema a value is checked against after wrappers that do not change it (preprocess, default). */
function unwrap(schema: unknown): { inner: unknown; optional: boolean; nullable: boolean } {
  let inner = schema;
  let optional = false;
  let nullable = false;
  for (;;) {
    const d = defOf(inner);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') [inner, optional] = [d.innerType, true];
    else if (d.type === 'nullable') [inner, nullable] = [d.innerType, true];
    else if (d.type === 'pipe') inner = defOf(d.in).type === 'transform' ? d.out : d.in;
    else return { inner, optional, nullable };
  }
}

/** True when the schema lets the field be left out. */
export function isOptional(schema: unknown): boolean {
  return unwrap(schema).optional;
}

/** The fields of an object schema (after unwrapping), or undefined for other schemas. */
export function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const d = defOf(unwrap(schema).inner);
  return d.type === 'object' ? d.shape : undefined;
}

const prototypeNames = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__'];

function validString(schema: unknown): fc.Arbitrary<string> {
  const d = defOf(schema);
  const c = checksOf(schema);
  if (d.format === 'uuid') return fc.uuid({ version: 4 });
  if (d.format === 'datetime') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((x) => x.toISOString());
  if (d.format === 'url') return fc.constantFrom('http://127.0.0.1:9/hook', 'https://127.0.0.1:9/a?b=c', 'http://[::1]:9/x');
  const min = c.minLength ?? 0;
  const max = c.maxLength ?? 64;
  const fits = (s: string) => s.length >= min && s.length <= max && c.patterns.every((p) => p.test(s));
  if (c.patterns.length > 0) {
    // stringMatching takes no `i` flag; the pattern as written (lower case) still matches with it.
    const pattern = c.patterns[0]!;
    return fc.stringMatching(new RegExp(pattern.source, pattern.flags.replace('i', '')), { size: 'small' }).filter(fits);
  }
  return fc.oneof(
    { weight: 5, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 24)), unit: 'grapheme' }).filter(fits) },
    { weight: 1, arbitrary: fc.constant('m'.repeat(max)) },
    { weight: 1, arbitrary: fc.constant('n'.repeat(min)) },
  ).filter(isStorableText);
}

function numberBounds(c: Checks): { min: number; max: number } {
  const step = c.int ? 1 : Number.EPSILON;
  const min = c.min === undefined ? -1e6 : c.minExclusive ? c.min + step : c.min;
  const max = c.max === undefined ? 1e6 : c.maxExclusive ? c.max - step : c.max;
  return { min, max };
}

function validNumber(schema: unknown): fc.Arbitrary<number> {
  const c = checksOf(schema);
  const { min, max } = numberBounds(c);
  if (c.int) return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.constantFrom(Math.ceil(min), Math.floor(max)));
  return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max));
}

/** Values `schema` accepts. */
export function validOf(schema: unknown, overrides: Overrides = () => undefined, path: readonly string[] = []): fc.Arbitrary<unknown> {
  const replaced = overrides(path);
  if (replaced) return replaced;
  const { inner, nullable } = unwrap(schema);
  const value = validInner(inner, overrides, path);
  return nullable ? fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }) : value;
}

function validInner(schema: unknown, overrides: Overrides, path: readonly string[]): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  switch (d.type) {
    case 'object': {
      const shape = d.shape as Record<string, unknown>;
      const model = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, validOf(s, overrides, [...path, k])]));
      const requiredKeys = Object.keys(shape).filter((k) => !isOptional(shape[k]));
      return fc.record(model, { requiredKeys });
    }
    case 'string':
      return validString(schema);
    case 'number':
      return validNumber(schema);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'array': {
      const c = checksOf(schema);
      const minLength = c.minLength ?? 0;
      return fc.array(validOf(d.element, overrides, [...path, '*']), { minLength, maxLength: Math.min(c.maxLength ?? 4, minLength + 4) });
    }
    case 'record': {
      // Keys named like Object.prototype members, where the key schema allows them: code that
      // reads `shape[key]` instead of own properties finds something under those in every object.
      const accepts = (k: string) => (d.keyType as { safeParse(v: unknown): { success: boolean } }).safeParse(k).success;
      const prototypeNamed = prototypeNames.filter(accepts);
      const keys = fc.oneof(
        { weight: 4, arbitrary: validOf(d.keyType, () => undefined) as fc.Arbitrary<string> },
        ...(prototypeNamed.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...prototypeNamed) }] : []),
      );
      return fc.dictionary(keys, validOf(d.valueType, overrides, [...path, '*']), { maxKeys: 3 });
    }
    case 'union':
      return fc.oneof(...(d.options as unknown[]).map((o) => validOf(o, overrides, path)));
    default:
      // custom, unknown: anything JSON.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values with exactly one thing wrong for `schema` (most are refused; a few may pass, which is fine). */
export function invalidOf(schema: unknown, overrides: Overrides = () => undefined, path: readonly string[] = []): fc.Arbitrary<unknown> {
  const { inner } = unwrap(schema);
  const d = defOf(inner);
  const c = checksOf(inner);
  const generic = fc.oneof({ weight: 3, arbitrary: oddValue }, { weight: 1, arbitrary: wrongTypes });
  switch (d.type) {
    case 'object': {
      const shape = d.shape as Record<string, unknown>;
      const keys = Object.keys(shape);
      const valid = validOf(inner, overrides, path) as fc.Arbitrary<Record<string, unknown>>;
      const options: fc.Arbitrary<unknown>[] = [
        valid.chain((v) => fc.constantFrom(...oddKeys).chain((k) => oddValue.map((x) => withKey(v, k, x)))),
        generic,
      ];
      if (keys.length > 0) {
        options.push(
          fc.constantFrom(...keys).chain((k) =>
            fc.tuple(valid, invalidOf(shape[k], overrides, [...path, k])).map(([v, bad]) => withKey(v, k, bad)),
          ),
          valid.chain((v) => fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k)))),
        );
      }
      return fc.oneof(...options);
    }
    case 'string': {
      const tooLong = c.maxLength !== undefined ? [fc.constant('l'.repeat(c.maxLength + 1))] : [];
      const tooShort = c.minLength ? [fc.constant('s'.repeat(c.minLength - 1))] : [];
      return fc.oneof(...tooLong, ...tooShort, fc.constantFrom(...oddStrings), fc.constantFrom(...oddNumbers), generic);
    }
    case 'number': {
      const { min, max } = numberBounds(c);
      const past = [min - (c.int ? 1 : 1e-9), max + (c.int ? 1 : 1e-9)];
      const nonInt = c.int ? [min + 0.5] : [];
      return fc.oneof(fc.constantFrom(...past, ...nonInt, ...oddNumbers), fc.constantFrom(...oddNumbers.map(String)), generic);
    }
    case 'enum':
      return fc.oneof(fc.constantFrom(...Object.values(d.entries as Record<string, string>).map((v) => v.toUpperCase() + 'x')), generic);
    case 'array': {
      const item = invalidOf(d.element, overrides, [...path, '*']);
      const tooMany = c.maxLength !== undefined && c.maxLength <= 200
        ? [fc.array(validOf(d.element, overrides, [...path, '*']), { minLength: c.maxLength + 1, maxLength: c.maxLength + 1 })]
        : [];
      return fc.oneof(fc.tuple(validOf(inner, overrides, path), item).map(([v, bad]) => [...(v as unknown[]), bad]), ...tooMany, generic);
    }
    case 'record': {
      const valid = validOf(inner, overrides, path) as fc.Arbitrary<Record<string, unknown>>;
      return fc.oneof(
        fc.tuple(valid, fc.constantFrom(...oddKeys), validOf(d.valueType, overrides, [...path, '*'])).map(([v, k, x]) => withKey(v, k, x)),
        fc.tuple(valid, fc.string({ minLength: 1, maxLength: 8 }), invalidOf(d.valueType, overrides, [...path, '*'])).map(([v, k, x]) => withKey(v, k, x)),
        generic,
      );
    }
    default:
      return generic;
  }
}
