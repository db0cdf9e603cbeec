/* eslint-disable */
export default {
  displayName: 'testing',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/testing',
};
