/* eslint-disable */
export default {
  displayName: 'client',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/client',
};
