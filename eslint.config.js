// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/data/**', 'bench/results/**', 'server/drizzle/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          // A subpath is public only when the package exports it (provider-sdk/text).
          selector: "ImportDeclaration[source.value=/^@taskproc\\/(?!provider-sdk\\/text$)[a-z-]+\\/.+/]",
          message: 'Import a package through its public index (or an exported subpath), never its internals.',
        },
      ],
    },
  },
  {
    // Tests read arbitrary wire bodies; typing each one would add nothing.
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
