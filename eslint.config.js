// ESLint with typescript-eslint's type-aware rules; formatting is Prettier's (eslint-config-prettier turns off the
// rules it owns). A rule is switched off only where this project has a reason, written beside it.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-artifacts/', 'coverage/', 'test/tmp-prof/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  comments.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Every eslint-disable says why on the same line (`-- reason`).
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      // Express types req.body and res.locals as any: every body is parsed by a zod schema before it is used (a
      // form's values are handed back to the form as they came), and locals are set by the app's own middleware.
      '@typescript-eslint/no-unsafe-argument': 'off',
      // String() of values that are unknown by nature (template helpers' arguments, query strings) is deliberate.
      '@typescript-eslint/no-base-to-string': 'off',
      // Functions are async where an interface asks for a promise (Kysely's migration provider, route handlers).
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a value destructured only to leave it out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Migrations are written against Kysely<any> (they must not import the app's types, which change after them).
    files: ['src/core/db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    // Tests read supertest's untyped response bodies and raw SQLite rows; what they read is what they assert.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
