/* eslint-disable */
export default {
  displayName: 'agent-runtime',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/agent-runtime',
};
