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
    // Core code depends on ports, never on adapters: adapters are wired in main.ts, cli.ts and tests.
    files: ['src/webhooks/**', 'src/consumers/**', 'src/handlers/**', 'src/agents/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/bus/kafka*', '**/bus/embedded*'], message: 'Import the Bus port, not an adapter.' },
            {
              group: ['**/store/pglite*', '**/store/postgres*'],
              message: 'Import the Store port, not an adapter.',
            },
            { group: ['kafkajs', 'pg', '@electric-sql/pglite', 'ioredis'], message: 'Adapters only.' },
          ],
        },
      ],
    },
  },
  {
    // The built-in handlers are written against the public API only, exactly as a user's handlers.
    files: [
      'src/handlers/order-triage.ts',
      'src/handlers/contact-intake.ts',
      'src/handlers/big-order-alert.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', './*', '!../index.js'],
              message: 'Built-in handlers import only the public entry (../index.js).',
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
