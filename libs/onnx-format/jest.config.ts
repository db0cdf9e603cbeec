/* eslint-disable */
export default {
  displayName: 'onnx-format',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/onnx-format',
};
