import type { ShapeType } from './shapes.ts';
import type { BuiltInTaskTypeId } from './task-type-catalogue.ts';

/**
 * The TypeScript type of a slot value, by slot type. File-typed slots hold file ids
 * (from POST /v1/files, or from a provider's upload).
 */
export interface SlotValueTypes {
  Number: number;
  Text: string;
  Image: number;
  Audio: number;
  Video: number;
  File: number;
  Enum: string;
  ListOfNumbers: number[];
  ListOfTexts: string[];
  ListOfImages: number[];
  ListOfAudio: number[];
  ListOfVideo: number[];
  ListOfFiles: number[];
}

/** The value type of one slot type, e.g. `SlotValueOf<'ListOfTexts'>` is `string[]`. */
export type SlotValueOf<T extends ShapeType> = SlotValueTypes[T];

/** A shape as a literal type: slot key -> something with a slot `type` (a ShapeDescriptor, say). */
export type SlotTypesLike = { readonly [key: string]: { readonly type: ShapeType } };

/** The values of a shape known at compile time: `{ input: { type: 'Text' } }` gives `{ input: string }`. */
export type ShapeValuesOf<S extends SlotTypesLike> = { -readonly [K in keyof S]: SlotValueOf<S[K]['type']> };

/**
 * Slot types of every built-in task type's input and output, as literal types. A test checks it
 * against {@link builtInTaskTypes}, so the compile-time view cannot drift from the catalogue.
 */
export const builtInSlotTypes = {
  'core:text2text': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:chat': {
    input: { system_prompt: 'Text', input: 'Text', history: 'ListOfTexts' },
    output: { output: 'Text' },
  },
  'core:text2text:formalization': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:headline': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:reformulation': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:simplification': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:summary': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:topics': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:translate': {
    input: { input: 'Text', origin_language: 'Enum', target_language: 'Enum' },
    output: { output: 'Text' },
  },
  'core:audio2text': { input: { input: 'Audio' }, output: { output: 'Text' } },
  'core:text2image': { input: { input: 'Text', numberOfImages: 'Number' }, output: { output: 'ListOfImages' } },
} as const satisfies Record<
  BuiltInTaskTypeId,
  { input: Readonly<Record<string, ShapeType>>; output: Readonly<Record<string, ShapeType>> }
>;

type ValuesOfSlotTypes<S extends Readonly<Record<string, ShapeType>>> = { -readonly [K in keyof S]: SlotValueOf<S[K]> };

/**
 * Input and output value types of each built-in task type, for typed task handlers and clients:
 * `BuiltInTaskIO['core:text2text:summary']` is `{ input: { input: string }; output: { output: string } }`.
 */
export type BuiltInTaskIO = {
  [Id in BuiltInTaskTypeId]: {
    input: ValuesOfSlotTypes<(typeof builtInSlotTypes)[Id]['input']>;
    output: ValuesOfSlotTypes<(typeof builtInSlotTypes)[Id]['output']>;
  };
};
