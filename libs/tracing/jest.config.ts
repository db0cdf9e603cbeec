/* eslint-disable */
export default {
  displayName: 'tracing',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/tracing',
};
