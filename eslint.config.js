// One lint configuration for the whole monorepo. Type-aware rules (no floating or
// misused promises) come from typescript-eslint's project service; the dependency
// direction of ARCHITECTURE.md is enforced here (import rules) and by `turbo boundaries`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';

const appImports = {
  group: [
    '@airunway/operator',
    '@airunway/operator/*',
    '@airunway/api',
    '@airunway/api/*',
    '@airunway/web',
    '@airunway/web/*',
  ],
  message: 'Packages never import application code (see ARCHITECTURE.md, "Dependency direction").',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.next/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests shape and poke at JSON manifests; strict typing of every probe costs more than it
    // finds. Promise rules stay on.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['packages/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appImports] }] },
  },
  {
    // The API schema is the root of the graph: it may depend on zod alone.
    files: ['packages/schema/src/**/*.ts'],
    ignores: ['packages/schema/src/**/*.test.ts', 'packages/schema/src/generate/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            appImports,
            { regex: '^(?!zod($|/)|\\.{1,2}/|node:)', message: 'packages/schema depends on zod only.' },
          ],
        },
      ],
    },
  },
  {
    // Providers are pure functions over the API schema: no cluster access, no apps.
    files: ['packages/providers/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            appImports,
            {
              group: ['@airunway/kube', '@airunway/kube/*', '@kubernetes/client-node'],
              message: 'packages/providers does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The one exception to the direction: tRPC's contract, the API's router *type*, which
    // the client library imports type-only (erased at build).
    files: ['packages/client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ ...appImports, allowTypeImports: true }] }],
    },
  },
  {
    // The dashboard's React code: the rules of hooks.
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  prettier,
);
