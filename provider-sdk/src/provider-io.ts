import type { BuiltInTaskIO, ShapeType, ShapeValuesOf, SlotTypesLike } from '@taskproc/spec';

/** A shape written as a literal (slot key -> name, description, type). */
export type ShapeLiteral = {
  readonly [key: string]: { readonly name: string; readonly description: string; readonly type: ShapeType };
};

/** A custom task type written as a literal: what `customTaskType` takes. */
export interface CustomTaskTypeLiteral {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly inputShape: ShapeLiteral;
  readonly outputShape: ShapeLiteral;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

// A shape typed as plain `Shape` (not a literal) has `string` keys: nothing to infer from it.
type KnownValues<S extends SlotTypesLike> = string extends keyof S ? Record<string, unknown> : ShapeValuesOf<S>;

type RequiredValues<TType extends string, TCustom, Side extends 'input' | 'output'> = TCustom extends {
  readonly [K in `${Side}Shape`]: infer S extends SlotTypesLike;
}
  ? KnownValues<S>
  : TType extends keyof BuiltInTaskIO
    ? BuiltInTaskIO[TType][Side]
    : Record<string, unknown>;

type OptionalValues<TOptional> = TOptional extends SlotTypesLike ? Partial<KnownValues<TOptional>> : unknown;

/**
 * What `process` receives: the input slots of the task type (a built-in one, or the
 * `customTaskType` declared inline), plus the provider's optional input slots as optional keys.
 * Falls back to `Record<string, unknown>` when the type is not known at compile time.
 */
export type ProviderInput<TType extends string, TCustom, TOptionalInput> = Simplify<
  RequiredValues<TType, TCustom, 'input'> & OptionalValues<TOptionalInput>
>;

/** What `process` returns: the output slots of the task type plus the optional output slots. */
export type ProviderOutput<TType extends string, TCustom, TOptionalOutput> = Simplify<
  RequiredValues<TType, TCustom, 'output'> & OptionalValues<TOptionalOutput>
>;
