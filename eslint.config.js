import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Relative imports that climb into one of our top-level folders, whatever the depth. */
const ours = (...folders) => folders.flatMap((folder) => [`../${folder}/**`, `../../${folder}/**`, `../../../${folder}/**`, `../../../../${folder}/**`, `../../../../../${folder}/**`]);

const restrict = (files, patterns) => ({
  files,
  ignores: ['**/*.test.ts', '**/test-support/**', '**/testing/**'],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/**
 * The layers of docs/architecture.md, enforced: contracts import nothing of ours; models only contracts;
 * adapters only contracts; the plugin never the hub (nor its models, policies or migrations); the hub never
 * migrations; hub/api neither knex nor the audit writer (routes are parse -> authorize -> command -> present).
 */
const boundaries = [
  restrict(['contracts/**/*.ts'], [{ group: ['../**', '!./**'], message: 'contracts/ imports nothing of ours: it is what crosses every boundary.' }]),
  restrict(['models/**/*.ts'], [{ group: ours('hub', 'plugin', 'policies', 'adapters', 'migrations'), message: 'models/ may import contracts/ only.' }]),
  restrict(['adapters/**/*.ts'], [{ group: ours('hub', 'plugin', 'models', 'policies', 'migrations'), message: 'adapters/ may import contracts/ only.' }]),
  restrict(['plugin/**/*.ts'], [{ group: ours('hub', 'models', 'policies', 'migrations'), message: 'the plugin may import contracts/ and adapters/ only, never the hub.' }]),
  restrict(['policies/**/*.ts'], [{ group: ours('hub', 'plugin', 'adapters', 'migrations'), message: 'policies/ may import contracts/ and models/ only.' }]),
  restrict(['hub/**/*.ts'], [{ group: ours('migrations', 'plugin'), message: 'the hub reaches migrations only through hub/db/migrator (which loads them by path) and never imports the plugin.' }]),
  restrict(['hub/api/**/*.ts'], [
    { group: ours('migrations', 'plugin'), message: 'the hub never imports migrations or the plugin.' },
    { group: ['knex'], message: 'hub/api does not reach the database directly: use models/ and a command in hub/commands.' },
    { group: ['**/audit/audit-writer*', '**/audit/index*', '**/audit'], importNames: ['writeAudit'], message: 'routes do not audit: the command that mutates writes its own audit record.' },
  ]),
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.vigil/**', 'dist/**', 'coverage/**', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...boundaries,
);
