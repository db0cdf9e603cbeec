/* eslint-disable */
export default {
  displayName: 'model-runtime',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/model-runtime',
};
