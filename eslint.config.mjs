import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Deployable apps; only apps/herald (the all-in-one and its commands) composes them. */
const APPS = ['api', 'cli', 'dev', 'dispatcher', 'herald', 'projector', 'router', 'scheduler'];
/** apps/dev runs the all-in-one in-process, so it may import apps/herald and nothing else. */
const MAY_IMPORT = { herald: APPS, dev: ['herald'] };

/** One block per app: importing another app's code is an error, unless MAY_IMPORT allows it. */
const appBoundaries = APPS.filter((app) => app !== 'herald').map((app) => ({
  files: [`apps/${app}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: APPS.filter((other) => other !== app && !(MAY_IMPORT[app] ?? []).includes(other)).flatMap(
              (other) => [`**/${other}/src`, `**/${other}/src/**`],
            ),
            message: 'Apps are thin transports: share code through libs/; only apps/herald composes apps.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.herald/**', 'deploy/helm/**', 'sdk/*/dist/**', 'sdk/*/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      // A file past ~300 lines usually holds more than one thing; a warning, so it is seen, not blocked.
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  ...appBoundaries,
  {
    // The console runs in the browser and talks to Herald only through the REST API.
    files: ['console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@herald/*', 'node:*', '**/apps/**', '**/libs/**'],
              message: 'The console is a browser app: it reaches Herald only through the REST API.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain libs stay free of transports and I/O adapters.
    files: ['libs/{contracts,matching,signing,retry,delivery,egress,payloads,retention}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'kafkajs', 'typeorm', 'undici', 'pg'],
              message: 'Domain libs must not import transports or I/O adapters.',
            },
            {
              group: [
                '@herald/kafka',
                '@herald/persistence',
                '@herald/http-delivery',
                '@herald/telemetry',
                '@herald/runtime',
              ],
              message: 'Domain libs must not depend on adapter libs.',
            },
          ],
        },
      ],
    },
  },
);
