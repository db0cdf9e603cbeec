/* eslint-disable */
export default {
  displayName: 'trainer',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/trainer',
};
