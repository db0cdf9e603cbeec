/* eslint-disable */
export default {
  displayName: 'training',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/training',
};
