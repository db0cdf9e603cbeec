import { existsSync } from 'node:fs';
import path from 'node:path';
import { uniqueSchema } from './schema';
import { workspaceRoot } from './workspace';

describe('test helpers', () => {
  it('finds the workspace root', () => {
    expect(existsSync(path.join(workspaceRoot(), 'nx.json'))).toBe(true);
  });

  it('makes distinct, SQL-safe schema names', () => {
    const a = uniqueSchema('x');
    expect(a).toMatch(/^x_[a-z0-9_]+$/);
    expect(uniqueSchema('x')).not.toBe(a);
  });
});
