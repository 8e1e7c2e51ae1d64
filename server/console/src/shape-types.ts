import type { ShapeType } from '@taskproc/spec';

const itemTypes: Partial<Record<ShapeType, ShapeType>> = {
  ListOfNumbers: 'Number',
  ListOfTexts: 'Text',
  ListOfImages: 'Image',
  ListOfAudio: 'Audio',
  ListOfVideo: 'Video',
  ListOfFiles: 'File',
};

/** The type of one item of a list slot type (ListOfImages -> Image); any other type is itself. */
export function itemTypeOf(type: ShapeType): ShapeType {
  return itemTypes[type] ?? type;
}
