import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'scratch/',
      'dist/',
      'node_modules/',
      'data/',
      'test-results/',
      'coverage/',
      'dashboards/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // the dashboard's service worker: a plain script run in the worker's global scope
    files: ['dashboards/public/sw.js'],
    languageOptions: { globals: { self: 'readonly', URL: 'readonly' } },
  },
  {
    // command-line programs talk to people on stdout
    files: ['server/main.ts', 'server/admin/cli.ts', 'test/bench/**', 'simulators/**'],
    rules: { 'no-console': 'off' },
  },
);
