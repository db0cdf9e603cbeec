/* eslint-disable */
export default {
  displayName: 'log-inputs',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/log-inputs',
};
