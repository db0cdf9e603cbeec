/* eslint-disable */
export default {
  displayName: 'deploy',
  preset: '../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../coverage/deploy',
};
