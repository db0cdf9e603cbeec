import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/jest.config.ts', '**/dist', '**/node_modules', '**/.angular', '**/.nx', '**/coverage', '**/.loglens', '**/test-artifacts'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            // layers: apps sit on top; libraries never reach up into an app
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:client', 'type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            // the REST client: only the contracts' types, no server or UI framework (it runs in the CLI and in browsers)
            {
              sourceTag: 'type:client',
              onlyDependOnLibsWithTags: ['type:contracts'],
              bannedExternalImports: ['@nestjs/*', '@angular/*', 'typeorm', 'onnxruntime-*', 'pg', 'nats', 'rxjs'],
            },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts'],
              // the admin app shares the contracts: keep server-only frameworks out of them
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'onnxruntime-*', 'pg', 'nats'],
            },
            // the workspace tools (tools/: benches, stack, models, CLIs) may use any library, never an app; no library
            // lists type:tools, so libraries never import tools
            {
              sourceTag: 'type:tools',
              onlyDependOnLibsWithTags: ['type:client', 'type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:contracts'],
            },
            // scopes: a service's code only reaches its own scope and shared code
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:registry', 'scope:shared'] },
            { sourceTag: 'scope:inference', onlyDependOnLibsWithTags: ['scope:inference', 'scope:shared'] },
            { sourceTag: 'scope:agents', onlyDependOnLibsWithTags: ['scope:agents', 'scope:shared'] },
            { sourceTag: 'scope:admin', onlyDependOnLibsWithTags: ['scope:admin', 'scope:shared'] },
            { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:ingest', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // the CLI talks to the gateway through the client only
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['type:client', 'type:contracts'] },
            // so does the MCP server (apps/mcp)
            { sourceTag: 'scope:mcp', onlyDependOnLibsWithTags: ['type:client', 'type:contracts'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // env classes spell out primitive types: class-transformer reads them from decorator metadata
    files: ['**/*.env.ts', '**/env.ts', '**/env.spec.ts'],
    rules: { '@typescript-eslint/no-inferrable-types': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/jest.config.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
];
