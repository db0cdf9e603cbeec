/* eslint-disable */
export default {
  displayName: 'nest-common',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/nest-common',
};
