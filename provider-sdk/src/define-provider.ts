import { ProviderDescriptor, ProviderId, type ProviderDescriptorInput, type SlotValues } from '@taskproc/spec';
import type { z } from 'zod';
import type { ProviderContext } from './context.ts';
import type { CustomTaskTypeLiteral, ProviderInput, ProviderOutput, ShapeLiteral } from './provider-io.ts';

/**
 * What a provider author writes: the registration (Nextcloud's `IProvider` fields, see
 * spec `ProviderDescriptor`) and `process`. Every descriptor field but `name`, `taskType` and
 * `expectedRuntime` is optional.
 */
export interface ProviderOptions<TType extends string, TCustom, TOptionalInput, TOptionalOutput>
  extends Omit<
    ProviderDescriptorInput,
    'name' | 'taskType' | 'customTaskType' | 'optionalInputShape' | 'optionalOutputShape'
  > {
  /** Provider id, unique across the coordinator, e.g. `example:summary`. */
  id: string;
  /** Name shown to users. */
  name: string;
  /** The task type served: a built-in id, or the id of `customTaskType`. */
  taskType: TType;
  /** A task type this provider brings; declared inline, its shapes type `process`. */
  customTaskType?: TCustom;
  optionalInputShape?: TOptionalInput;
  optionalOutputShape?: TOptionalOutput;
  /**
   * Does the work. Return the output slot values; throw `ProcessingError` for a failure worth
   * telling the user about, `RetryableError` for one worth retrying; stop when `ctx.signal`
   * aborts (pass it to every HTTP call).
   */
  process(
    input: ProviderInput<TType, TCustom, TOptionalInput>,
    ctx: ProviderContext,
  ): Promise<ProviderOutput<TType, TCustom, TOptionalOutput>>;
}

/** A provider ready for `runProviders`: its id, its validated registration and its handler. */
export interface ProviderDefinition<TInput = SlotValues, TOutput = SlotValues> {
  readonly id: string;
  /** Sent as the body of `PUT /v1/providers/{id}`. */
  readonly descriptor: ProviderDescriptor;
  // Method syntax on purpose: handlers typed for their own input fit `ProviderDefinition[]`.
  process(input: TInput, ctx: ProviderContext): Promise<TOutput>;
}

/**
 * Declares a provider. The registration is checked here, so a typo fails at start with the
 * field named, not later as a 422 from the coordinator.
 *
 * ```ts
 * const summary = defineProvider({
 *   id: 'example:summary', name: 'Example summary', taskType: 'core:text2text:summary', expectedRuntime: 5,
 *   async process(input, ctx) { return { output: input.input.split('.')[0] ?? '' }; },
 * });
 * ```
 */
export function defineProvider<
  const TType extends string,
  const TCustom extends CustomTaskTypeLiteral | undefined = undefined,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "no optional slots"
  const TOptionalInput extends ShapeLiteral = {},
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "no optional slots"
  const TOptionalOutput extends ShapeLiteral = {},
>(
  options: ProviderOptions<TType, TCustom, TOptionalInput, TOptionalOutput>,
): ProviderDefinition<ProviderInput<TType, TCustom, TOptionalInput>, ProviderOutput<TType, TCustom, TOptionalOutput>> {
  const { id, process, ...registration } = options;
  const parsedId = ProviderId.safeParse(id);
  if (!parsedId.success) throw new TypeError(`Invalid provider id "${id}": ${describeIssues(parsedId.error)}`);
  const descriptor = ProviderDescriptor.safeParse(registration);
  if (!descriptor.success) throw new TypeError(`Invalid provider "${id}": ${describeIssues(descriptor.error)}`);
  const custom = descriptor.data.customTaskType;
  if (custom && custom.id !== descriptor.data.taskType) {
    throw new TypeError(`Invalid provider "${id}": customTaskType.id "${custom.id}" must equal taskType "${descriptor.data.taskType}"`);
  }
  return { id, descriptor: descriptor.data, process: (input, ctx) => process(input, ctx) };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
