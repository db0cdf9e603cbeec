#!/usr/bin/env node
// nx build target of libs/client: dist/libs/client/{index.mjs,index.cjs,index.d.ts,package.json}. The client imports
// only types from @loglens/contracts, so the bundles carry no workspace code and no npm dependency.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import ts from 'typescript';
import path from 'node:path';
import { workspaceRoot } from './esbuild-node.mjs';

const out = path.join(workspaceRoot, 'dist/libs/client');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = {
  entryPoints: [path.join(workspaceRoot, 'libs/client/src/index.ts')],
  bundle: true,
  platform: 'neutral',
  target: 'es2022',
  tsconfig: path.join(workspaceRoot, 'tsconfig.base.json'),
  logLevel: 'warning',
};
await build({ ...common, format: 'esm', outfile: path.join(out, 'index.mjs') });
await build({ ...common, format: 'cjs', outfile: path.join(out, 'index.cjs') });
// declarations of the client's own files only (its contracts types stay `import type` from @loglens/contracts)
const srcRoot = path.join(workspaceRoot, 'libs/client/src');
const config = ts.getParsedCommandLineOfConfigFile(path.join(workspaceRoot, 'libs/client/tsconfig.lib.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
const program = ts.createProgram(config.fileNames, config.options);
// type errors anywhere fail the build; declaration errors only count in the client's own files
const problems = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(srcRoot))) {
  const emitted = program.emit(file, (name, text) => {
    if (!name.endsWith('.d.ts')) return;
    const rel = path.relative(path.join(workspaceRoot, 'tmp/client-dts/libs/client/src'), name);
    mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    writeFileSync(path.join(out, rel), text);
  }, undefined, true);
  problems.push(...emitted.diagnostics);
}
if (problems.length) {
  console.error(ts.formatDiagnostics(problems, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => workspaceRoot, getNewLine: () => '\n' }));
  process.exit(1);
}
writeFileSync(
  path.join(out, 'package.json'),
  JSON.stringify(
    {
      name: '@loglens/client',
      version: JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8')).version,
      type: 'commonjs',
      main: './index.cjs',
      module: './index.mjs',
      types: './index.d.ts',
      exports: { '.': { types: './index.d.ts', import: './index.mjs', require: './index.cjs' } },
      sideEffects: false,
    },
    null,
    2,
  ) + '\n',
);
console.log('built dist/libs/client (esm, cjs, d.ts)');
