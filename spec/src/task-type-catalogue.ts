import type { ShapeDescriptor } from './shapes.ts';
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
  TextToTextChangeTone: 'core:text2text:changetone',
  TextToTextProofread: 'core:text2text:proofread',
  TextToTextReformatParagraphs: 'core:text2text:reformatparagraphs',
  TextToTextImprove: 'core:text2text:improve',
  TextToTextChatWithTools: 'core:text2text:chatwithtools',
  MultimodalChatWithTools: 'core:text2text:multimodal-chatwithtools',
  ContextWrite: 'core:contextwrite',
  GenerateEmoji: 'core:generateemoji',
  TextToImageSingle: 'core:text2image:single',
  ImageToImage: 'core:image2image',
  AudioToTextSubtitles: 'core:audio2text:subtitles',
  AudioToAudioChat: 'core:audio2audio:chat',
  AudioToAudioTranslate: 'core:audio2audio:translate',
  TextToSpeech: 'core:text2speech',
  AnalyzeImages: 'core:analyze-images',
  ImageToTextOpticalCharacterRecognition: 'core:image2text:ocr',
  ContextAgentInteraction: 'core:contextagent:interaction',
  ContextAgentAudioInteraction: 'core:contextagent:audio-interaction',
  MultimodalContextAgentInteraction: 'core:contextagent:multimodal-interaction',
} as const;

/** One of the built-in task type ids. */
export type BuiltInTaskTypeId = (typeof BuiltInTaskTypeId)[keyof typeof BuiltInTaskTypeId];

// Slots that Nextcloud declares with the same key, strings and type in several task types.
const systemPrompt = {
  name: 'System prompt',
  description: 'Define rules and assumptions that the assistant should follow during the conversation.',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const chatMessage = {
  name: 'Chat message',
  description: 'Describe a task that you want the assistant to do or ask a question',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const chatHistory = {
  name: 'Chat history',
  description: 'The history of chat messages before the current message, starting with a message by the user',
  type: 'ListOfTexts',
} as const satisfies ShapeDescriptor;
const toolMessage = {
  name: 'Tool message',
  description: 'The result of tool calls in the last interaction',
  type: 'Text',
} as const satisfies ShapeDescriptor;
// Nextcloud: "See https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools for the format".
const availableTools = {
  name: 'Available tools',
  description: 'The available tools in JSON format',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const chatModelResponse = {
  name: 'Generated response',
  description: 'The response from the chat model',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const toolCalls = {
  name: 'Tool calls',
  description: 'Tools call instructions from the model in JSON format',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const inputAttachments = {
  name: 'Input attachments',
  description: 'Files to send along with the chat message.',
  type: 'ListOfFiles',
} as const satisfies ShapeDescriptor;
const agentMessage = {
  name: 'Chat message',
  description: 'A chat message to send to the agent.',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const agentConfirmation = {
  name: 'Confirmation',
  description: 'Whether to confirm previously requested actions: 0 for denial and 1 for confirmation.',
  type: 'Number',
} as const satisfies ShapeDescriptor;
const conversationToken = {
  name: 'Conversation token',
  description: 'A token representing the conversation.',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const agentResponse = {
  name: 'Generated response',
  description: 'The response from the chat model.',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const newConversationToken = {
  name: 'The new conversation token',
  description: 'Send this along with the next interaction.',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const agentActions = {
  name: 'Requested actions by the agent',
  description: 'Actions that the agent would like to carry out in JSON format.',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const inputTranscript = {
  name: 'Input transcript',
  description: 'Transcription of the audio input',
  type: 'Text',
} as const satisfies ShapeDescriptor;
const voiceResponse = {
  name: 'Response voice message',
  description: 'The generated voice response as part of the conversation',
  type: 'Audio',
} as const satisfies ShapeDescriptor;
const outputTranscript = {
  name: 'Output transcript',
  description: 'Transcription of the audio output',
  type: 'Text',
} as const satisfies ShapeDescriptor;

/**
 * The built-in task types of Nextcloud's Task Processing API (Nextcloud 30 and later).
 *
 * Ids, slot keys and slot types follow Nextcloud's documentation. Every English `name` and
 * `description`, of a type and of each slot, is the string passed to `$this->l->t('...')` in
 * nextcloud/server `lib/public/TaskProcessing/TaskTypes/<Class>.php`, where `<Class>` is the
 * key of the id in {@link BuiltInTaskTypeId}. Slots are listed in the order Nextcloud declares them.
 *
 * `internal` is set on the types whose class implements `IInternalTaskType` in the most recent
 * Nextcloud source (see spec/PROTOCOL.md for the version each appeared in). Types of later
 * Nextcloud versions (image editing and subtitles are 35 and 36) are listed too: a provider
 * decides what it serves, and an app asks `GET /v1/task-types` what is available.
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
    inputShape: { system_prompt: systemPrompt, input: chatMessage, history: chatHistory },
    outputShape: {
      output: {
        name: 'Response message',
        description: 'The generated response as part of the conversation',
        type: 'Text',
      },
    },
  },
  {
    // Internal and `@deprecated 35.0.0` in recent Nextcloud source: its Assistant offers "Improve text" instead.
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
    internal: true,
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
    // Internal and `@deprecated 35.0.0` in recent Nextcloud source: its Assistant offers "Improve text" instead.
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
    internal: true,
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
  {
    id: BuiltInTaskTypeId.TextToTextChangeTone,
    name: 'Change Tone',
    description: 'Change the tone of a piece of text.',
    inputShape: {
      input: {
        name: 'Input text',
        description: 'Write a text that you want the assistant to rewrite in another tone.',
        type: 'Text',
      },
      // The tones are the provider's: it declares them as enum values of `tone`.
      tone: {
        name: 'Desired tone',
        description: 'In which tone should your text be rewritten?',
        type: 'Enum',
      },
    },
    outputShape: {
      output: {
        name: 'Generated response',
        description: 'The rewritten text in the desired tone, written by the assistant:',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextProofread,
    name: 'Proofread',
    description: 'Proofreads a text and lists corrections',
    inputShape: {
      input: { name: 'Text', description: 'The text to proofread', type: 'Text' },
    },
    outputShape: {
      output: {
        name: 'Corrections',
        description: 'The corrections that should be made in your text',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextReformatParagraphs,
    name: 'Reformat paragraphs',
    description: 'Reformats a text into multiple paragraphs separated by topic',
    inputShape: {
      input: { name: 'Text', description: 'The text to reformat', type: 'Text' },
    },
    outputShape: {
      output: {
        name: 'Reformatted text',
        description: 'The reformatted text with paragraphs separated by topic',
        type: 'Text',
      },
    },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.TextToTextImprove,
    name: 'Improve text',
    description: 'Takes a text and improves it based on instructions',
    inputShape: {
      input: {
        name: 'Input text',
        description: 'Write a text that you want the assistant to improve',
        type: 'Text',
      },
      instructions: {
        name: 'Instructions',
        description: 'Describe how the assistant should improve the text',
        type: 'Text',
      },
    },
    outputShape: {
      output: { name: 'Improved text', description: 'The improved text', type: 'Text' },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToTextChatWithTools,
    name: 'Chat with tools',
    description: 'Chat with the language model with tool calling support.',
    inputShape: {
      system_prompt: systemPrompt,
      input: chatMessage,
      tool_message: toolMessage,
      history: chatHistory,
      tools: availableTools,
    },
    outputShape: { output: chatModelResponse, tool_calls: toolCalls },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.MultimodalChatWithTools,
    name: 'Chat with tools using attachments',
    description: 'Chat with the language model with tool calling support and attachments.',
    inputShape: {
      system_prompt: systemPrompt,
      input: chatMessage,
      input_attachments: inputAttachments,
      tool_message: toolMessage,
      history: chatHistory,
      tools: availableTools,
    },
    outputShape: {
      output: chatModelResponse,
      output_attachments: {
        name: 'Output attachments',
        description: 'Files generated by the model.',
        type: 'ListOfFiles',
      },
      tool_calls: toolCalls,
    },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.ContextWrite,
    name: 'Context write',
    description: 'Writes text in a given style based on the provided source material.',
    inputShape: {
      // "immitate" is Nextcloud's spelling.
      style_input: {
        name: 'Writing style',
        description: 'Demonstrate a writing style that you would like to immitate',
        type: 'Text',
      },
      source_input: {
        name: 'Source material',
        description: 'The content that would like to be rewritten in the new writing style',
        type: 'Text',
      },
    },
    outputShape: {
      output: {
        name: 'Generated text',
        description: 'The generated text with content from the source material in the given style',
        type: 'Text',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.GenerateEmoji,
    name: 'Emoji generator',
    description: 'Takes text and generates a representative emoji for it.',
    inputShape: {
      input: { name: 'Input text', description: 'The text to generate an emoji for', type: 'Text' },
    },
    outputShape: {
      output: {
        name: 'Generated emoji',
        description: 'The generated emoji based on the input text',
        type: 'Text',
      },
    },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.TextToImageSingle,
    name: 'Generate image',
    description: 'Generate an image from a text prompt',
    inputShape: {
      input: { name: 'Prompt', description: 'Describe the image you want to generate', type: 'Text' },
    },
    outputShape: {
      image: { name: 'Output image', description: 'The generated image', type: 'Image' },
    },
  },
  {
    id: BuiltInTaskTypeId.ImageToImage,
    name: 'Edit image',
    description: 'Edit an image based on a text description of the changes',
    inputShape: {
      input: { name: 'Input images', description: 'The images to edit', type: 'ListOfImages' },
      prompt: {
        name: 'Prompt',
        description: 'Describe the changes you want to make to the image',
        type: 'Text',
      },
    },
    outputShape: {
      output: { name: 'Output image', description: 'The edited image', type: 'Image' },
    },
  },
  {
    id: BuiltInTaskTypeId.AudioToTextSubtitles,
    name: 'Generate subtitles',
    description: 'Subtitle the things said in an audio or video',
    inputShape: {
      input: { name: 'Input file', description: 'The file to subtitle', type: 'File' },
    },
    outputShape: {
      output: { name: 'Subtitles', description: 'The subtitles file', type: 'File' },
    },
  },
  {
    id: BuiltInTaskTypeId.AudioToAudioChat,
    name: 'Audio chat',
    description: 'Voice chat with the assistant',
    inputShape: {
      system_prompt: systemPrompt,
      // Unlike the text chat's, these two descriptions end with a full stop in Nextcloud's source.
      input: {
        name: 'Chat voice message',
        description: 'Describe a task that you want the assistant to do or ask a question.',
        type: 'Audio',
      },
      history: {
        name: 'Chat history',
        description: 'The history of chat messages before the current message, starting with a message by the user.',
        type: 'ListOfTexts',
      },
    },
    outputShape: {
      input_transcript: inputTranscript,
      output: voiceResponse,
      output_transcript: outputTranscript,
    },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.AudioToAudioTranslate,
    name: 'Translate audio',
    description: 'Translates the speech of an audio file or recording and outputs an audio file in the desired language.',
    inputShape: {
      input: { name: 'Input audio', description: 'The audio file or recording to translate', type: 'Audio' },
      origin_language: { name: 'Origin language', description: 'The language of the origin audio', type: 'Enum' },
      target_language: {
        name: 'Target language',
        description: 'The desired language to translate the origin audio in',
        type: 'Enum',
      },
    },
    outputShape: {
      audio_output: { name: 'Audio output', description: 'The audio translation', type: 'Audio' },
    },
  },
  {
    id: BuiltInTaskTypeId.TextToSpeech,
    name: 'Generate speech',
    description: 'Generate speech from a transcript',
    inputShape: {
      input: {
        name: 'Prompt',
        description: 'Write transcript that you want the assistant to generate speech from',
        type: 'Text',
      },
    },
    outputShape: {
      speech: { name: 'Output speech', description: 'The generated speech', type: 'Audio' },
    },
  },
  {
    id: BuiltInTaskTypeId.AnalyzeImages,
    name: 'Analyze images',
    description: 'Ask a question about the given images.',
    inputShape: {
      images: { name: 'Images', description: 'Images to ask a question about', type: 'ListOfImages' },
      input: { name: 'Question', description: 'What to ask about the images.', type: 'Text' },
    },
    outputShape: {
      output: { name: 'Generated response', description: 'The answer to the question', type: 'Text' },
    },
  },
  {
    id: BuiltInTaskTypeId.ImageToTextOpticalCharacterRecognition,
    name: 'Optical character recognition',
    description: 'Extract text from files like images or PDFs',
    inputShape: {
      input: { name: 'Input files', description: 'The files to extract text from', type: 'ListOfFiles' },
    },
    outputShape: {
      output: {
        name: 'Output texts',
        description: 'The texts that were extracted from the files',
        type: 'ListOfTexts',
      },
    },
  },
  {
    id: BuiltInTaskTypeId.ContextAgentInteraction,
    // Nextcloud returns this name untranslated ("We do not translate this").
    name: 'ContextAgent',
    description: 'Chat with an agent',
    inputShape: {
      input: agentMessage,
      confirmation: agentConfirmation,
      conversation_token: conversationToken,
    },
    outputShape: {
      output: agentResponse,
      conversation_token: newConversationToken,
      actions: agentActions,
    },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.ContextAgentAudioInteraction,
    name: 'ContextAgent audio',
    description: 'Chat by voice with an agent',
    inputShape: {
      input: {
        name: 'Chat voice message',
        description: 'Describe a task that you want the agent to do or ask a question.',
        type: 'Audio',
      },
      confirmation: agentConfirmation,
      conversation_token: conversationToken,
    },
    outputShape: {
      input_transcript: inputTranscript,
      output: voiceResponse,
      output_transcript: outputTranscript,
      conversation_token: newConversationToken,
      actions: agentActions,
    },
    internal: true,
  },
  {
    id: BuiltInTaskTypeId.MultimodalContextAgentInteraction,
    name: 'ContextAgent multimodal',
    description: 'Chat with an agent using attachments',
    inputShape: {
      input: agentMessage,
      input_attachments: inputAttachments,
      confirmation: agentConfirmation,
      conversation_token: conversationToken,
      memories: { name: 'Memories', description: 'Memories to send to the agent.', type: 'ListOfTexts' },
    },
    outputShape: {
      output: agentResponse,
      output_attachments: {
        name: 'Output attachments',
        description: 'Files generated by the agent.',
        type: 'ListOfFiles',
      },
      conversation_token: newConversationToken,
      actions: agentActions,
      sources: { name: 'Sources', description: 'Sources of the generated response.', type: 'ListOfTexts' },
    },
    internal: true,
  },
];
