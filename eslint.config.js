import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The console's one browser script (served as is from the package).
    files: ['src/console/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'fetch',
          'setTimeout',
          'DOMParser',
          'CSS',
          'HTMLFormElement',
          'URLSearchParams',
          'FormData',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Core code depends on ports, never on adapters: adapters are wired in src/app/ (test/house.test.ts checks every room).
    files: ['src/webhooks/**', 'src/consumers/**', 'src/handlers/**', 'src/calls/**', 'src/agents/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/bus/kafka*', '**/bus/embedded*'], message: 'Import the Bus port, not an adapter.' },
            {
              group: ['**/store/sqlite*', '**/store/postgres*'],
              message: 'Import the Store port, not an adapter.',
            },
            { group: ['kafkajs', 'pg', 'libsql', 'ioredis'], message: 'Adapters only.' },
          ],
        },
      ],
    },
  },
  {
    // The built-in handlers are written against the public API only, exactly as a user's handlers.
    files: ['src/builtin/*.ts'],
    ignores: ['src/builtin/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../api.js'],
              message: "Built-in handlers import only the handler author's face (../api.js).",
            },
          ],
        },
      ],
    },
  },
  {
    // The example app uses the published package, never the source.
    files: ['examples/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/**', '**/dist/**'], message: "Import 'wix-event-agent'." }] },
      ],
    },
  },
  {
    // Plain Node scripts and the example app's JavaScript (Node globals).
    files: ['scripts/**/*.mjs', 'examples/**/*.js'],
    rules: { 'no-undef': 'off' },
  },
);
