// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * Every CSV goes through toCsv (src/services/csv.ts, which the web pages and the command line both use), which
 * neutralises formula prefixes (OWASP CSV injection).
 */
const CSV_WRITER = {
  group: ['csv-stringify', 'csv-stringify/*'],
  message: 'Write CSV with toCsv (src/services/csv.ts): it neutralises formulas.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.data/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The domain is pure: law and method only, no IO, no framework, no database.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../../data/*',
                '../../services/*',
                '../../web/*',
                '../../cli/*',
                '../../demo/*',
                '../../notify/*',
                '../../jobs/*',
                '../data/*',
                '../services/*',
                '../web/*',
              ],
              message: 'domain/ imports nothing outside domain/.',
            },
            {
              group: [
                'node:*',
                'express',
                'drizzle-orm',
                'drizzle-orm/*',
                'pg',
                '@electric-sql/*',
                'nunjucks',
                'pino',
                'pino-http',
                'csv-stringify',
                'csv-stringify/*',
              ],
              message: 'domain/ is pure: no IO or framework imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // web/ never touches the database; it calls services.
    files: ['src/web/**/*.ts'],
    ignores: ['src/web/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/data/*', 'drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'],
              message: 'web/ calls services, never the database.',
            },
            CSV_WRITER,
          ],
        },
      ],
    },
  },
  {
    // Outside domain/ and web/ (which have their own lists), CSV is written only by the one CSV writer too.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/domain/**', 'src/web/**', 'src/services/csv.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CSV_WRITER] }] },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/web/public/**/*.mjs'],
    languageOptions: { globals: globals.browser },
  },
  prettier,
);
