// `npx jest` at the root runs every project's unit specs in one process (faster than one jest per project on
// small machines), and the deploy tools' specs. Integration specs run through jest.int.config.js.
const fs = require('node:fs');
const path = require('node:path');

module.exports = {
  // a hang detector, not a speed check: a per-project testTimeout (jest.preset.js) is ignored when the root runs the
  // projects together, so the 5 s default failed compute-heavy specs (training 40 trees) on a loaded machine
  testTimeout: 30000,
  projects: ['apps', 'libs'].flatMap((group) =>
    fs
      .readdirSync(path.join(__dirname, group))
      .map((name) => path.join(__dirname, group, name, 'jest.config.ts'))
      .filter((file) => fs.existsSync(file)),
  ).concat(path.join(__dirname, 'deploy/jest.config.ts')),
};
