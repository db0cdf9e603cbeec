import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // the console takes contract values from the dependency-free entry: '@loglens/contracts' bundles class-validator
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@loglens/contracts',
              allowTypeImports: true,
              message: "Import values from '@loglens/contracts/protocol' (the main entry bundles class-validator into the browser); types may come from either.",
            },
          ],
        },
      ],
    },
  },
];
