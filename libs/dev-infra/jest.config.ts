/* eslint-disable */
export default {
  displayName: 'dev-infra',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/dev-infra',
};
