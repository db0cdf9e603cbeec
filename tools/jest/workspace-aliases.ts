import Module from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';

/**
 * jest's moduleNameMapper does not apply to globalSetup: resolve the workspace aliases (`@loglens/<lib>`, from
 * tsconfig.base.json) for the libraries the setup loads.
 */
export function registerWorkspaceAliases(): void {
  const root = path.resolve(__dirname, '../..');
  const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const aliases = new Map(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]));
  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]) {
    return original.call(this, aliases.get(request) ?? request, ...rest);
  };
}
