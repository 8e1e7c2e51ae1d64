import type { ShapeLiteral } from '@taskproc/provider-sdk';

/** What the scripted test provider does with a task. */
export type TestBehaviour = 'echo' | 'gated' | 'files';

const textShapes = {
  inputShape: { input: { name: 'Input', description: 'Text in', type: 'Text' } },
  outputShape: { output: { name: 'Output', description: 'Text out', type: 'Text' } },
} as const;
const fileShapes = {
  inputShape: { image: { name: 'Image', description: 'An image', type: 'Image' } },
  outputShape: { file: { name: 'File', description: 'The image, bytes reversed', type: 'File' } },
} as const;

/**
 * The registration the scripted test provider sends, so a test can register the same provider
 * over HTTP before the process starts (an identical PUT changes nothing). Task types outside
 * `core:` are declared as custom types: text in, text out, or an Image in and a File out.
 */
export function testProviderDescriptor(providerId: string, taskType: string, behaviour: TestBehaviour) {
  // Typed as plain shapes: the handler reads the input loosely, whichever shape is in use.
  const shapes: { inputShape: ShapeLiteral; outputShape: ShapeLiteral } = behaviour === 'files' ? fileShapes : textShapes;
  return {
    name: `Test provider ${providerId}`,
    taskType,
    expectedRuntime: 1,
    ...(taskType.startsWith('core:')
      ? {}
      : { customTaskType: { id: taskType, name: `Test type ${taskType}`, description: 'For tests', ...shapes } }),
  };
}
