/* eslint-disable */
export default {
  displayName: 'ingest',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/ingest',
};
