export { exampleProviders, reverseProvider, summaryProvider } from './providers.ts';
export { loadExampleConfig, type ExampleConfig } from './config.ts';
