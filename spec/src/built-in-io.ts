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
  'core:text2text:changetone': { input: { input: 'Text', tone: 'Enum' }, output: { output: 'Text' } },
  'core:text2text:proofread': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:reformatparagraphs': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2text:improve': { input: { input: 'Text', instructions: 'Text' }, output: { output: 'Text' } },
  'core:text2text:chatwithtools': {
    input: { system_prompt: 'Text', input: 'Text', tool_message: 'Text', history: 'ListOfTexts', tools: 'Text' },
    output: { output: 'Text', tool_calls: 'Text' },
  },
  'core:text2text:multimodal-chatwithtools': {
    input: {
      system_prompt: 'Text',
      input: 'Text',
      input_attachments: 'ListOfFiles',
      tool_message: 'Text',
      history: 'ListOfTexts',
      tools: 'Text',
    },
    output: { output: 'Text', output_attachments: 'ListOfFiles', tool_calls: 'Text' },
  },
  'core:contextwrite': { input: { style_input: 'Text', source_input: 'Text' }, output: { output: 'Text' } },
  'core:generateemoji': { input: { input: 'Text' }, output: { output: 'Text' } },
  'core:text2image:single': { input: { input: 'Text' }, output: { image: 'Image' } },
  'core:image2image': { input: { input: 'ListOfImages', prompt: 'Text' }, output: { output: 'Image' } },
  'core:audio2text:subtitles': { input: { input: 'File' }, output: { output: 'File' } },
  'core:audio2audio:chat': {
    input: { system_prompt: 'Text', input: 'Audio', history: 'ListOfTexts' },
    output: { input_transcript: 'Text', output: 'Audio', output_transcript: 'Text' },
  },
  'core:audio2audio:translate': {
    input: { input: 'Audio', origin_language: 'Enum', target_language: 'Enum' },
    output: { audio_output: 'Audio' },
  },
  'core:text2speech': { input: { input: 'Text' }, output: { speech: 'Audio' } },
  'core:analyze-images': { input: { images: 'ListOfImages', input: 'Text' }, output: { output: 'Text' } },
  'core:image2text:ocr': { input: { input: 'ListOfFiles' }, output: { output: 'ListOfTexts' } },
  'core:contextagent:interaction': {
    input: { input: 'Text', confirmation: 'Number', conversation_token: 'Text' },
    output: { output: 'Text', conversation_token: 'Text', actions: 'Text' },
  },
  'core:contextagent:audio-interaction': {
    input: { input: 'Audio', confirmation: 'Number', conversation_token: 'Text' },
    output: { input_transcript: 'Text', output: 'Audio', output_transcript: 'Text', conversation_token: 'Text', actions: 'Text' },
  },
  'core:contextagent:multimodal-interaction': {
    input: {
      input: 'Text',
      input_attachments: 'ListOfFiles',
      confirmation: 'Number',
      conversation_token: 'Text',
      memories: 'ListOfTexts',
    },
    output: {
      output: 'Text',
      output_attachments: 'ListOfFiles',
      conversation_token: 'Text',
      actions: 'Text',
      sources: 'ListOfTexts',
    },
  },
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
