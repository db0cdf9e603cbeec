/* eslint-disable */
export default {
  displayName: 'registry',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/registry',
};
