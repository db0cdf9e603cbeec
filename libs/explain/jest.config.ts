/* eslint-disable */
export default {
  displayName: 'explain',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/explain',
};
