import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'eslint.config.mjs',
      'out/**',
      'dist/**',
      'node_modules/**',
      'artifacts/**',
      '.testbed/**',
      'bin/**',
      'scripts/*.mjs',
      'bench/electron-stub/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Only the Electron shell and the IPC bridge may touch Electron (DESIGN §3).
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', allowTypeImports: true, message: 'Only main/index.ts and main/bridge/ipc.ts may import electron.' }],
        },
      ],
    },
  },
  {
    files: ['main/index.ts', 'main/bridge/ipc.ts', 'main/electron/**/*.ts', 'preload/**/*.ts', 'test/e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../main/*', '../../main/*', '!../main/api', '!../../main/api'],
              message: 'The renderer reaches the main process only through the contract (main/api.ts).',
            },
          ],
          paths: [{ name: 'electron', message: 'The renderer has no Electron access.' }],
        },
      ],
    },
  },
  // Targets own their differences (docs/architecture.md): outside main/targets/ code asks a target's traits
  // (targets/kinds/traits.ts, cluster-of.ts) instead of comparing its kind.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/targets/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "BinaryExpression[operator=/^[!=]==?$/][right.type='Literal'][right.value=/^(kube|im|dispatcher)$/][left.property.name='kind']",
          message: "Ask the target's traits (main/targets/kinds/traits.ts) or clusterOf() instead of comparing its kind.",
        },
      ],
    },
  },
  // Layout is Prettier's job (npm run format); ESLint keeps to correctness.
  prettier,
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
);
