import { defineConfig } from 'vitest/config';

// Tests run the workspace packages from their sources (the `@taskproc/source` export condition),
// never from a dist/ that may be stale; the consumer test checks the builds.
// The rest are Vite's defaults for server code (vite is vitest's own dependency, not ours).
const conditions = ['@taskproc/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@taskproc/source'] } },
  test: {
    include: ['**/test/**/*.test.ts', '**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration files start their own coordinator processes; two cores run two files at once.
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['./test/src/global-setup.ts'],
  },
});
