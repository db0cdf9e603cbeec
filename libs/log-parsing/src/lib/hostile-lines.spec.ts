// Hostile lines cost linear time: every parser that reads untrusted lines is fed adversarial shapes (the token that
// made the old VALUE_TOKEN regex backtrack exponentially, runs that make an unanchored pattern rescan, long lines)
// and must spend about as much per KiB on them as on ordinary text of the same size. The bound is relative to the
// same run's ordinary text, so a loaded machine slows both sides alike; a super-linear path fails it by orders of
// magnitude (the old miner took 353 ms on one 24-value token and doubled with each further value).
import { DEFAULT_MASK_RULES, maskVariables } from './masking';
import { TemplateMiner } from './template-miner';
import { HeaderDetector, parseHeader } from './headers/line-header';
import { WifiLogParser } from './wifi';
import { WildcardPattern } from './wildcard-match';

const KIB = 1024;
const repeat = (unit: string, bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

/** Adversarial shapes, each about `bytes` long. */
function hostile(bytes: number): Record<string, string> {
  return {
    'value token 1;2;3;…;x': `${Array.from({ length: Math.ceil(bytes / 4) }, (_, i) => String(i % 100)).join(';')};x`.slice(-bytes),
    'dotted run a.a.a…': repeat('a.', bytes),
    'colon/hex run': repeat('a:', bytes),
    'key=value chain': repeat('k=', bytes),
    'brackets': repeat('[', bytes / 2) + repeat(']', bytes / 2),
    'digits then letter': `${repeat('1', bytes - 1)}x`,
    'spaced values': repeat('1 ', bytes),
    'syslog-like header then junk': `<13>Jun  3 10:30:01 host ${repeat('a ', bytes)}`,
    'quotes': repeat('x="', bytes),
    'paths': repeat('/a', bytes),
    'wildcard look-alikes': repeat('<*>', bytes),
    // shapes the WiFi work found: hex-looking letters between dashes, and a key="value" opener repeated
    'A-A-A…': repeat('A-', bytes),
    'ssid="…': repeat('ssid="', bytes),
    'a_a_a…': repeat('a_', bytes),
  };
}

function cost(fn: (line: string) => unknown, line: string, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    fn(line);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

const parsers: Record<string, (line: string) => unknown> = {
  masking: (l) => maskVariables(l, DEFAULT_MASK_RULES),
  miner: (l) => new TemplateMiner().add(l),
  header: (l) => parseHeader(l),
  'header detector': (l) => new HeaderDetector(null, { sampleLines: 1 }).read(l),
  wifi: (l) => new WifiLogParser().parse(l),
  'vocabulary match': (l) => new WildcardPattern('a <*> b <*> c <*> d <*> e', false).test(l),
  'param extraction': (l) => new WildcardPattern('<*> x <*> y <*>', true).params(l),
};

describe('hostile lines', () => {
  const size = 64 * KIB;
  const ordinary = repeat('Jun 14 15:16:01 combo sshd[19939]: authentication failure for user root from 10.0.0.1 ', size);

  for (const [name, parse] of Object.entries(parsers)) {
    it(`${name}: adversarial 64 KiB lines cost about what ordinary text of that size costs`, () => {
      const base = Math.max(cost(parse, ordinary), 0.5);
      for (const [shape, line] of Object.entries(hostile(size))) {
        const spent = cost(parse, line);
        // 1 ms per KiB is the ceiling; 64 ms for 64 KiB, or 25× ordinary text when that is slower
        if (spent > Math.max(64, 25 * base)) throw new Error(`${name} spent ${spent.toFixed(1)} ms on "${shape}" (ordinary text: ${base.toFixed(1)} ms)`);
      }
    });
  }

  it('the miner treats a token of values and punctuation as one value, whatever its length', () => {
    const miner = new TemplateMiner();
    // a letter makes it a word: it stays, with its values masked
    expect(miner.tokenize(`id ${Array.from({ length: 40 }, (_, i) => i).join(';')};x end`)).toEqual(['id', `${'<*>;'.repeat(40)}x`, 'end']);
    expect(miner.tokenize(`id ${Array.from({ length: 40 }, (_, i) => i).join(';')} end`)).toEqual(['id', '<*>', 'end']);
  });
});
