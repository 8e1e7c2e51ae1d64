import type { ShapeEnumValue } from '@taskproc/spec';

/** The Enum value of `origin_language` that lets the model find out the language itself. */
export const detectLanguage = 'detect_language';

/**
 * Languages offered for translation: ISO 639-1 code (the Enum value) and English name (what the
 * prompt says; models understand names more reliably than codes).
 */
export const languages: Readonly<Record<string, string>> = {
  ar: 'Arabic',
  bg: 'Bulgarian',
  ca: 'Catalan',
  cs: 'Czech',
  da: 'Danish',
  de: 'German',
  el: 'Greek',
  en: 'English',
  es: 'Spanish',
  et: 'Estonian',
  fa: 'Persian',
  fi: 'Finnish',
  fr: 'French',
  ga: 'Irish',
  he: 'Hebrew',
  hi: 'Hindi',
  hr: 'Croatian',
  hu: 'Hungarian',
  id: 'Indonesian',
  it: 'Italian',
  ja: 'Japanese',
  ko: 'Korean',
  lt: 'Lithuanian',
  lv: 'Latvian',
  nb: 'Norwegian Bokmål',
  nl: 'Dutch',
  pl: 'Polish',
  pt: 'Portuguese',
  ro: 'Romanian',
  ru: 'Russian',
  sk: 'Slovak',
  sl: 'Slovenian',
  sr: 'Serbian',
  sv: 'Swedish',
  th: 'Thai',
  tr: 'Turkish',
  uk: 'Ukrainian',
  vi: 'Vietnamese',
  zh: 'Chinese',
};

const languageEnumValues: ShapeEnumValue[] = Object.entries(languages).map(([value, name]) => ({ name, value }));

/** Enum values of the translate type's slots: any language, and "Detect language" for the origin. */
export const translateEnumValues = {
  origin_language: [{ name: 'Detect language', value: detectLanguage }, ...languageEnumValues],
  target_language: languageEnumValues,
};
