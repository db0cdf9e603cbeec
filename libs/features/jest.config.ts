/* eslint-disable */
export default {
  displayName: 'features',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/features',
};
