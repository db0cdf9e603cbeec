import baseConfig from '../../eslint.config.mjs';

// the console takes contract values from the dependency-free entry: '@loglens/contracts' bundles class-validator
const contractsEntry = {
  name: '@loglens/contracts',
  allowTypeImports: true,
  message:
    "Import values from '@loglens/contracts/protocol' (the main entry bundles class-validator into the browser); types may come from either.",
};

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [contractsEntry] }],
    },
  },
  {
    // a feature uses core/ and shared/, never another feature: what two features need moves to shared/
    files: ['**/src/app/features/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [contractsEntry],
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\.?/)[^/]+/',
              message: 'A feature imports from core/ or shared/, not from another feature: move what both need to shared/.',
            },
          ],
        },
      ],
    },
  },
];
