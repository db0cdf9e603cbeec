// Bundles a Node entry point (an app's main.ts or a tools/ script) with esbuild. esbuild cannot emit decorator
// metadata, which Nest's dependency injection needs, so each .ts file is first transpiled by TypeScript itself
// (transpileModule, file by file) and esbuild only resolves the workspace path aliases and bundles.
// npm packages stay external: they are loaded from node_modules at run time.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
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
  // V8 keeps every loaded script's source in the heap, as one byte per character only when all of it is Latin-1: one
  // `→` in a comment made the gateway's bundle a two-byte string, twice its size. esbuild escapes non-ASCII code, not
  // comments; the linked source map still has the sources with their comments.
  removeComments: true,
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

/**
 * Every import of an installed npm package stays external, not only those package.json lists: `express` (body-parser's
 * json/raw, reached through @nestjs/platform-express) was bundled with its dependencies, iconv-lite's code-page tables
 * and mime-db's 230 kB of JSON among them (1.2 MB of the gateway's 2 MB bundle), while the same packages loaded from
 * node_modules too.
 */
const installedPackagesExternal = {
  name: 'installed-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@loglens/') || args.path.startsWith('node:')) return undefined;
      const parts = args.path.split('/');
      const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      return existsSync(path.join(workspaceRoot, 'node_modules', name, 'package.json')) ? { path: args.path, external: true } : undefined;
    });
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
    plugins: [installedPackagesExternal, typescriptFirst],
    logLevel: 'warning',
  });
}
