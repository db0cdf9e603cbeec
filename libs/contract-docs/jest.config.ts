/* eslint-disable */
export default {
  displayName: 'contract-docs',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/contract-docs',
};
