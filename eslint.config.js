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
    // command-line programs talk to people on stdout
    files: ['server/main.ts', 'server/admin/cli.ts', 'test/bench/**', 'simulators/**'],
    rules: { 'no-console': 'off' },
  },
);
