import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.herald/**', 'deploy/helm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The domain libs stay free of transports and I/O adapters.
    files: ['libs/{contracts,matching,signing,retry,delivery,egress,payloads}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'kafkajs', 'typeorm', 'undici', 'pg'], message: 'Domain libs must not import transports or I/O adapters.' },
            { group: ['@herald/kafka', '@herald/persistence', '@herald/http-delivery', '@herald/telemetry', '@herald/runtime'], message: 'Domain libs must not depend on adapter libs.' },
          ],
        },
      ],
    },
  },
);
