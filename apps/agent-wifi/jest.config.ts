/* eslint-disable */
export default {
  displayName: 'agent-wifi',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/agent-wifi',
};
