import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', 'coverage/**', '*.config.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Migrations are frozen against Kysely<any> by design: they must not depend on today's types.
    files: ['src/db/migrations/**/*.ts', 'src/db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests read JSON replies loosely and use expect.any() matchers; production code stays strict.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The analysis engine is a pure library: it runs in a test, a CLI, a worker or a browser.
    files: ['src/modules/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process'],
              message: 'analysis is pure: no I/O',
            },
            {
              group: ['kysely', 'pg', 'better-sqlite3', 'fastify', 'ioredis', '**/db/**', '**/server/**'],
              message: 'analysis is pure: no database or HTTP',
            },
          ],
        },
      ],
    },
  },
  {
    // Modules talk to each other only through their index.ts surface: no other file of another module,
    // table files included (a table belongs to its module; others call the owner's functions).
    files: ['src/modules/**/*.ts'],
    ignores: ['src/modules/analysis/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // A sibling module's file other than its index.ts, e.g. `../live/live.tables.ts`.
              regex: '^\\.\\./[a-z-]+/(?!index\\.ts$)',
              message: 'import another module only through its index.ts',
            },
          ],
        },
      ],
    },
  },
  {
    // The server, the command line and the demo are outside every module: index.ts surfaces only.
    files: ['src/*/**/*.ts'],
    ignores: ['src/modules/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+modules/[a-z-]+/(?!index\\.ts$)',
              message: 'import a module only through its index.ts',
            },
          ],
        },
      ],
    },
  },
);
