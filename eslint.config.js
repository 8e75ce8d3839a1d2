// Lint, including the module-boundary matrix. tools/check-project-tags.mjs fails when a project
// lacks exactly one `type:` and one `scope:` tag or when a constraint below uses a wildcard.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Packages a pure domain library must never import (no I/O, no framework). */
export const domainBannedImports = [
  '@nestjs/*', '@prisma/*', '@nats-io/*', 'ioredis', '@opentelemetry/*', 'pg', 'pg-copy-streams', 'pino', 'prom-client', 'ws',
];

export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:domain'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'], bannedExternalImports: domainBannedImports },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], allowedExternalImports: ['zod'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:market-data', onlyDependOnLibsWithTags: ['scope:shared', 'scope:market-data'] },
  { sourceTag: 'scope:signal-engine', onlyDependOnLibsWithTags: ['scope:shared', 'scope:signal-engine'] },
  { sourceTag: 'scope:risk-guard', onlyDependOnLibsWithTags: ['scope:shared', 'scope:risk-guard'] },
  { sourceTag: 'scope:execution', onlyDependOnLibsWithTags: ['scope:shared', 'scope:execution'] },
  { sourceTag: 'scope:mt5-simulator', onlyDependOnLibsWithTags: ['scope:shared', 'scope:mt5-simulator'] },
  { sourceTag: 'scope:reporting', onlyDependOnLibsWithTags: ['scope:shared', 'scope:reporting'] },
  { sourceTag: 'scope:ops-gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ops-gateway'] },
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '**/generated/**', '.nx/**', '.data/**', '.run/**', 'coverage/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='it'][callee.property.name='only']", message: 'no focused tests' }],
    },
  },
  {
    // Time and randomness come in as arguments in pure code.
    files: ['libs/domain/**/*.ts', 'libs/contracts/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'take time from a Clock or an argument' },
        { object: 'Math', property: 'random', message: 'take randomness as an argument' },
        { object: 'process', property: 'env', message: 'configuration belongs to the app' }],
    },
  },
  {
    // Tests may use the test toolkit in every project (the runtime matrix above still applies to
    // what they import from the workspace).
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.fixture.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', {
        enforceBuildableLibDependency: false, allow: [],
        depConstraints: depConstraints.map((c) => (c.allowedExternalImports
          ? { ...c, allowedExternalImports: [...c.allowedExternalImports, '@jest/globals', 'fast-check', 'node:*'] }
          : c)),
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
];
