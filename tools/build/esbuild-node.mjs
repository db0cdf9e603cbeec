// Bundles a Node entry point (an app's main.ts or a tools/ script) with esbuild. esbuild cannot emit decorator
// metadata, which Nest's dependency injection needs, so each .ts file is first transpiled by TypeScript itself
// (transpileModule, file by file) and esbuild only resolves the workspace path aliases and bundles.
// npm packages stay external: they are loaded from node_modules at run time.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const workspaceRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  useDefineForClassFields: false,
  inlineSourceMap: true,
  inlineSources: true,
};

const typescriptFirst = {
  name: 'typescript-decorators',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: ts.transpileModule(readFileSync(args.path, 'utf8'), { compilerOptions, fileName: args.path }).outputText,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

export async function bundleNode({ entry, outfile }) {
  const pkg = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].flatMap(
    (name) => [name, `${name}/*`],
  );
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // a file of its own (main.js.map), not inline: Node keeps every loaded script's source in the heap, and an inline
    // map made the gateway's 2 MB of code a 6 MB string in each process (`--enable-source-maps` reads the linked file)
    sourcemap: 'linked',
    tsconfig: path.join(workspaceRoot, 'tsconfig.base.json'),
    external,
    plugins: [typescriptFirst],
    logLevel: 'warning',
  });
}
