// ESLint flat config: the recommended JS rules plus typescript-eslint's type-aware rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'infra/deploy/*.cjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` map instead of enum.' },
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  {
    // The domain rooms never import the job runner: lib/jobs (runJob, its catalog of jobs) imports
    // them to run their work, and a run reaches them as the JobContext it creates
    // (lib/model/job-context.ts). A text helper never imports the database either.
    files: ['lib/harvest/**/*.ts', 'lib/delivery/**/*.ts', 'lib/housekeeping/**/*.ts', 'lib/metrics/**/*.ts', 'lib/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/jobs/*'], message: 'The domain never imports the job runner: take the JobContext (lib/model/job-context.ts) it hands you.' }] },
      ],
    },
  },
  {
    files: ['lib/log/**/*.ts', 'lib/harvest/sources/text.ts', 'lib/harvest/topics/vectors.ts', 'lib/harvest/topics/taxonomy.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/db/*'], message: 'A text helper never imports the database: declare what it needs where it is.' }] },
      ],
    },
  },
  {
    // The serverless plugins in infra/deploy/ are CommonJS, because the framework require()s them.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', process: 'readonly', require: 'readonly' } },
  },
  {
    // Config files of tools must default-export, and declarations describe CommonJS modules'
    // default exports as they are; neither is product code.
    files: ['eslint.config.js', 'vitest.config.ts', '**/*.d.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
