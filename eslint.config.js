import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'server/dist/',
      'test/consumers/',
      'dist-types/',
      'custom-elements.json',
      '.data/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  litConfigs['flat/recommended'],
  {
    files: ['src/**/*.ts'],
    plugins: { 'lit-a11y': litA11y },
    rules: { ...litA11y.configs.recommended.rules },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'Tier H keeps nothing on the host.' },
        { name: 'sessionStorage', message: 'Tier H keeps nothing on the host.' },
      ],
    },
  },
  {
    // Tier I: the frame's client keeps its session in the frame origin's own sessionStorage
    // (never the host page's); nothing else in src/ may touch storage.
    files: ['src/frame/account-client.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'Sessions live in sessionStorage.' },
      ],
    },
  },
  {
    files: ['src/components/**/*.ts'],
    rules: {
      // Components go through CitaClient, which validates every response against the contract.
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use CitaClient.' },
        { name: 'localStorage', message: 'Tier H keeps nothing on the host.' },
        { name: 'sessionStorage', message: 'Tier H keeps nothing on the host.' },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Rich text goes through RichTextCache (the sanitiser).' },
        { property: 'outerHTML', message: 'Rich text goes through RichTextCache (the sanitiser).' },
      ],
    },
  },
  {
    // The server's layers: the domain knows no transport and no database error codes; only
    // server/db talks to a database driver.
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['hono', 'hono/*', '**/http/**'],
              message: 'The domain returns outcomes; http/ maps them.',
            },
            { group: ['pg', '@electric-sql/*'], message: 'SQL lives in server/db.' },
          ],
          paths: [
            {
              name: '../db/index.js',
              importNames: [
                'pgErrorCode',
                'pgConstraint',
                'constraintViolation',
                'PG_EXCLUSION_VIOLATION',
                'PG_UNIQUE_VIOLATION',
              ],
              message: 'Stores turn constraint violations into typed results.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/http/**/*.ts', 'server/cli.ts', 'server/config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['pg', '@electric-sql/*'], message: 'SQL lives in server/db.' }] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['demo/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
