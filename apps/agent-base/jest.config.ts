/* eslint-disable */
export default {
  displayName: 'agent-base',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/agent-base',
};
