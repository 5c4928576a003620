// ESLint flat config: type-aware promise rules and the package boundary rules of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noDeepImports = [
  {
    group: ['@eventum/*/src/*', '@eventum/*/dist/*', '**/dist/**'],
    message: 'Import packages through their name only.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'bench/results/**', 'data/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // describe/it/before/after promises belong to node's test runner.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'describe',
                'it',
                'test',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { patterns: noDeepImports }],
    },
  },
  {
    files: ['packages/core/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noDeepImports,
            { group: ['node:*'], message: '@eventum/core is pure: no node:* imports.' },
            { group: ['@eventum/*'], message: '@eventum/core imports no sibling package.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/backend-*/src/**', 'packages/bus-*/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noDeepImports,
            {
              group: ['@eventum/server', '@eventum/cli', '@eventum/backend-*', '@eventum/bus-*'],
              message: 'Adapters import only @eventum/core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/**', 'packages/client/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noDeepImports,
            {
              group: ['@eventum/backend-*', '@eventum/bus-*', '@eventum/cli'],
              message: 'Only @eventum/cli knows concrete adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    // Event sourcing is an adapter of core: its recorders (LMDB, PostgreSQL) are subpath exports.
    files: ['packages/sourcing/src/**', 'examples/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noDeepImports,
            {
              group: [
                '@eventum/server',
                '@eventum/client',
                '@eventum/cli',
                '@eventum/backend-*',
                '@eventum/bus-*',
              ],
              message:
                'Event sourcing imports only @eventum/core (examples: and @eventum/sourcing).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may use node:test and node:assert anywhere.
    files: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: noDeepImports }] },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
);
