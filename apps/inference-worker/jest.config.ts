/* eslint-disable */
export default {
  displayName: 'inference-worker',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/inference-worker',
};
