// `npx jest` at the root runs every project's unit specs in one process (faster than one jest per project on
// small machines), and the deploy tools' specs. Integration specs run through jest.int.config.js.
const fs = require('node:fs');
const path = require('node:path');

module.exports = {
  projects: ['apps', 'libs'].flatMap((group) =>
    fs
      .readdirSync(path.join(__dirname, group))
      .map((name) => path.join(__dirname, group, name, 'jest.config.ts'))
      .filter((file) => fs.existsSync(file)),
  ).concat(path.join(__dirname, 'deploy/jest.config.ts')),
};
