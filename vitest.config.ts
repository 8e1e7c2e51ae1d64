import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts', '**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration files start their own coordinator processes; two cores run two files at once.
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['./test/src/global-setup.ts'],
  },
});
