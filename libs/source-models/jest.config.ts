/* eslint-disable */
export default {
  displayName: 'source-models',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/source-models',
};
