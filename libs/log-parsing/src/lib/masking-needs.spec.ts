import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MASK_RULES, maskVariables, type MaskRule } from './masking';

function workspaceRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
  }
  throw new Error('no nx.json above the spec');
}

/**
 * A rule's `needs` only skips scans that could not match: every default rule's pre-check is a condition its matches
 * meet, so masking with and without them gives the same text — on every line of the 16 LogHub samples, as the miner
 * masks them (shown values and plain wildcards both).
 */
describe('mask rules’ pre-checks (needs)', () => {
  const without: MaskRule[] = DEFAULT_MASK_RULES.map(({ needs: _needs, ...r }) => r);
  const root = path.join(workspaceRoot(), 'data/loghub-2k');
  const systems = readdirSync(root).filter((s) => existsSync(path.join(root, s, `${s}_2k.log`)));

  it('has the samples', () => expect(systems.length).toBeGreaterThanOrEqual(16));

  it.each(systems)('change no masked line of %s', (system) => {
    const lines = readFileSync(path.join(root, system, `${system}_2k.log`), 'utf8').split('\n');
    let differing = 0;
    for (const line of lines) {
      for (const shown of [true, false]) if (maskVariables(line, DEFAULT_MASK_RULES, shown) !== maskVariables(line, without, shown)) differing++;
    }
    expect(differing).toBe(0);
  });

  it('skip a rule whose character is absent, and only then', () => {
    const email = DEFAULT_MASK_RULES.find((r) => r.name === 'email');
    expect(email?.needs?.test('no address here')).toBe(false);
    expect(maskVariables('mail bob@example.com now')).toBe('mail <*> now');
    expect(maskVariables('flags true, FALSE and True')).toBe('flags <*>, <*> and <*>');
  });
});
