/* eslint-disable */
export default {
  displayName: 'mcp',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/mcp',
};
