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
);
