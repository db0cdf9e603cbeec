/* eslint-disable */
export default {
  displayName: 'log-parsing',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/log-parsing',
};
