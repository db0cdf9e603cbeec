/* eslint-disable */
export default {
  displayName: 'gateway-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/gateway-e2e',
};
