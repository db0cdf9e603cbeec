/* eslint-disable */
export default {
  displayName: 'experiments',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/experiments',
};
