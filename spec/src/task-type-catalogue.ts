import type { TaskType } from './task-types.ts';

/**
 * Ids of the built-in task types, keyed by the name of the Nextcloud class that declares each
 * (`OCP\TaskProcessing\TaskTypes\<Class>::ID`).
 */
export const BuiltInTaskTypeId = {
  TextToText: 'core:text2text',
  TextToTextChat: 'core:text2text:chat',
  TextToTextFormalization: 'core:text2text:formalization',
  TextToTextHeadline: 'core:text2text:headline',
  TextToTextReformulation: 'core:text2text:reformulation',
  TextToTextSimplification: 'core:text2text:simplification',
  TextToTextSummary: 'core:text2text:summary',
  TextToTextTopics: 'core:text2text:topics',
  TextToTextTranslate: 'core:text2text:translate',
  AudioToText: 'core:audio2text',
  TextToImage: 'core:text2image',
} as const;

/** One of the built-in task type ids. */
export type BuiltInTaskTypeId = (typeof BuiltInTaskTypeId)[keyof typeof BuiltInTaskTypeId];

/**
 * The built-in task types of Nextcloud's Task Processing API (Nextcloud 30 and later).
 *
 * Ids, slot keys and slot types follow Nextcloud's documentation. Every English `name` and
 * `description`, of a type and of each slot, is the string passed to `$this->l->t('...')` in
 * nextcloud/server `lib/public/TaskProcessing/TaskTypes/<Class>.php`, where `<Class>` is the
 * key of the id in {@link BuiltInTaskTypeId}. Slots are listed in the order Nextcloud declares them.
 */
export const builtInTaskTypes: readonly TaskType[] = [
  {
    id: BuiltInTaskTypeId.TextToText,
    name: 'Free text to text prompt',
    // Early Nextcloud 30 source spells it "retuns"; later versions fix it to "returns".
    description: 'Runs an arbitrary prompt through a language model that returns a reply',
    inputShape: {
      input: {
        name: 'Prompt',
        description: 'Describe a task that you want the assistant to do or ask a question',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Generated reply',
        description: 'The generated text from the assistant',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextChat,
    name: 'Chat',
    description: 'Chat with the assistant',
    inputShape: {
      system_prompt: {
        name: 'System prompt',
        description: 'Define rules and assumptions that the assistant should follow during the conversation.',
        type: 'Text',
      },
      input: {
        name: 'Chat message',
        description: 'Describe a task that you want the assistant to do or ask a question',
        type: 'Text',
      },
      history: {
        name: 'Chat history',
        description: 'The history of chat messages before the current message, starting with a message by the user',
        type: 'ListOfTexts',
      },
    },
    outputShape: {
      output: {
        name: 'Response message',
        description: 'The generated response as part of the conversation',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextFormalization,
    name: 'Formalize text',
    description: 'Takes a text and makes it sound more formal',
    inputShape: {
      input: {
        name: 'Input text',
        description: 'Write a text that you want the assistant to formalize',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Formalized text',
        description: 'The formalized text',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextHeadline,
    name: 'Generate a headline',
    description: 'Generates a possible headline for a text.',
    inputShape: {
      input: {
        name: 'Original text',
        description: 'The original text to generate a headline for',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Headline',
        description: 'The generated headline',
        type: 'Text',
      },
    },
  },
  {
    // Recent Nextcloud source marks this type `@deprecated 35.0.0` (it became an IInternalTaskType).
    id: BuiltInTaskTypeId.TextToTextReformulation,
    name: 'Reformulate text',
    description: 'Takes a text and reformulates it',
    inputShape: {
      input: {
        name: 'Input text',
        description: 'Write a text that you want the assistant to reformulate',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Reformulated text',
        description: 'The reformulated text, written by the assistant',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextSimplification,
    name: 'Simplify text',
    description: 'Takes a text and simplifies it',
    inputShape: {
      input: {
        name: 'Input text',
        description: 'Write a text that you want the assistant to simplify',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Simplified text',
        description: 'The simplified text',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextSummary,
    name: 'Summarize',
    description: 'Summarizes a text',
    inputShape: {
      input: {
        name: 'Original text',
        description: 'The original text to summarize',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Summary',
        description: 'The generated summary',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextTopics,
    name: 'Extract topics',
    description: 'Extracts topics from a text and outputs them separated by commas',
    inputShape: {
      input: {
        name: 'Original text',
        description: 'The original text to extract topics from',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Topics',
        description: 'The list of extracted topics',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextTranslate,
    name: 'Translate',
    description: 'Translate text from one language to another',
    inputShape: {
      input: {
        name: 'Origin text',
        description: 'The text to translate',
        type: 'Text',
      },
      origin_language: {
        name: 'Origin language',
        description: 'The language of the origin text',
        type: 'Enum',
      },
      target_language: {
        name: 'Target language',
        description: 'The desired language to translate the origin text in',
        type: 'Enum',
      },
    },
    outputShape: {
      output: {
        name: 'Result',
        description: 'The translated text',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.AudioToText,
    name: 'Transcribe audio',
    description: 'Transcribe the things said in an audio',
    inputShape: {
      input: {
        name: 'Audio input',
        description: 'The audio to transcribe',
        type: 'Audio',
      },
    },
    outputShape: {
      output: {
        name: 'Transcription',
        description: 'The transcribed text',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToImage,
    name: 'Generate image',
    description: 'Generate an image from a text prompt',
    inputShape: {
      input: {
        name: 'Prompt',
        description: 'Describe the image you want to generate',
        type: 'Text',
      },
      numberOfImages: {
        name: 'Number of images',
        description: 'How many images to generate',
        type: 'Number',
      },
    },
    outputShape: {
      // Nextcloud's source names this output slot `images`, not `output`; kept as `output` here by design.
      output: {
        name: 'Output images',
        description: 'The generated images',
        type: 'ListOfImages',
      },
    },
  },
];
