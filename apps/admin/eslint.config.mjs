import angular from '@angular-eslint/eslint-plugin';
import angularTemplate from '@angular-eslint/eslint-plugin-template';
import templateParser from '@angular-eslint/template-parser';
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
    // angular-eslint: the component rules on the classes, and the inline templates extracted and linted as HTML
    files: ['**/*.ts'],
    plugins: { '@angular-eslint': angular, '@angular-eslint/template': angularTemplate },
    processor: angularTemplate.processors['extract-inline-html'],
    rules: {
      ...angular.configs.recommended.rules,
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'll', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'll', style: 'camelCase' }],
    },
  },
  {
    files: ['**/*.html'],
    languageOptions: { parser: templateParser },
    plugins: { '@angular-eslint/template': angularTemplate },
    rules: {
      ...angularTemplate.configs.recommended.rules,
      ...angularTemplate.configs.accessibility.rules,
    },
  },
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
