/* eslint-disable */
export default {
  displayName: 'drift',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/drift',
};
