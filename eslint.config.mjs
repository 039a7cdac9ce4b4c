// Lint: typescript-eslint's recommended rules, the layer zones of docs/architecture.md (backed by
// test/unit/architecture.test.ts), the Electron import bans (only main/electron, main/index.ts and preload/index.ts
// may import electron) and a few house rules.
import js from '@eslint/js'
import importPlugin from 'eslint-plugin-import'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'http',
  'https',
  'child_process',
  'os',
  'net',
  'crypto',
  'zlib',
  'url',
]

// Size caps (docs/architecture.md, "Small rooms"): a function a reader can hold in mind, few positional
// parameters (an options object past five), files that stay one topic. A justified exception is marked where it is
// with `// eslint-disable-next-line <rule> -- why`.
const SIZE_CAPS = {
  'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
  'max-params': ['error', 5],
  'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }],
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'test-results/**',
      'playwright-report/**',
      'test/fixtures/**',
      '**/*.tsbuildinfo',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Named exports only (GitHub Desktop rule); config files are the exception.',
        },
        {
          selector: "CallExpression[callee.property.name='send'][callee.object.property.name='webContents']",
          message: 'Send events only through sendToRenderer() in main/electron/ipc.ts.',
        },
      ],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './main/core',
              from: ['./main/node', './main/electron', './main/cli', './main/lab', './preload', './renderer'],
            },
            { target: './main/node', from: ['./main/electron', './main/cli', './main/lab', './renderer'] },
            { target: './main/cli', from: ['./main/electron', './renderer'] },
            { target: './main/lab', from: ['./main/electron', './renderer'] },
            {
              target: './preload/contract',
              from: ['./main', './renderer', './preload/bridge.ts', './preload/index.ts'],
            },
            { target: './renderer', from: ['./main', './preload/index.ts'] },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts', 'preload/contract/**/*.ts', 'renderer/**/*.{ts,tsx}', 'preload/bridge.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/electron and preload/index.ts import electron.' }],
          patterns: nodeBuiltins,
        },
      ],
    },
  },
  {
    files: ['main/node/**/*.ts', 'main/cli/**/*.ts', 'main/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/electron and preload/index.ts import electron.' }],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts', 'main/index.ts'],
    ignores: ['main/electron/ipc.ts', 'main/electron/external.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['ipcMain'], message: 'ipcMain only in main/electron/ipc.ts.' },
            { name: 'electron', importNames: ['shell'], message: 'shell only in main/electron/external.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/ipc.ts'],
    rules: {
      'no-restricted-syntax': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['shell'], message: 'shell only in main/electron/external.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/external.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['ipcMain'], message: 'ipcMain only in main/electron/ipc.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.config.{ts,mjs,js}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs', 'bench/**/*.{ts,mjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: SIZE_CAPS,
  },
)
